// An incremental parser of server-sent events (text/event-stream, as in
// the HTML Living Standard's "Server-sent events" section).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace gateway::client {

struct server_event {
  std::string event;  // "message" when the stream names none
  std::string data;   // data lines joined with '\n'
  std::string id;
};

// Not thread safe. Feed it the body as it arrives, in pieces of any size.
class event_stream_parser {
 public:
  // Called for each complete event; returns false to stop parsing.
  using event_handler = std::function<bool(const server_event&)>;

  explicit event_stream_parser(event_handler handler)
      : handler_(std::move(handler)) {}

  // Parses text. Returns false once the handler returned false; later
  // calls then do nothing.
  bool feed(std::string_view text);

 private:
  bool process_line(std::string_view line);

  event_handler handler_;
  std::string pending_;  // an incomplete line
  server_event current_;
  bool has_data_ = false;
  bool stopped_ = false;
};

}  // namespace gateway::client

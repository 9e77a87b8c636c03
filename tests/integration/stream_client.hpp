// A blocking client for server-sent event streams in the integration
// tests: it reads the response header, then one event at a time, each
// read bounded by a deadline.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace gateway::integration {

// One event of a text/event-stream body; fields the server did not send
// are empty.
struct stream_event {
  std::string event;
  std::string data;
  std::string id;
};

class event_stream_client {
 public:
  event_stream_client();
  ~event_stream_client();
  event_stream_client(const event_stream_client&) = delete;
  event_stream_client& operator=(const event_stream_client&) = delete;

  // Connects to 127.0.0.1:port, sends GET target with the bearer token
  // and, when not empty, Last-Event-ID, and reads the response header.
  // Returns false and sets *error when any step fails.
  [[nodiscard]] bool open(unsigned short port, const std::string& target,
                          const std::string& token,
                          const std::string& last_event_id, std::string* error);

  [[nodiscard]] unsigned status() const;
  [[nodiscard]] std::string header(const std::string& name) const;

  // The next event, reading for at most timeout. Returns nullopt when the
  // stream ended, failed or timed out; finished() tells them apart.
  [[nodiscard]] std::optional<stream_event> next_event(
      std::chrono::milliseconds timeout);

  // Reads until at least count comment lines arrived in all, keeping any
  // events for next_event. Returns false on end, failure or timeout.
  [[nodiscard]] bool await_comments(int count,
                                    std::chrono::milliseconds timeout);

  // True once the server ended the response body cleanly.
  [[nodiscard]] bool finished() const;
  // Comment lines received so far, such as heartbeats.
  [[nodiscard]] int comments() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace gateway::integration

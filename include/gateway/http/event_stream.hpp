// Server-sent events: a response sent as a stream of chunks instead of one
// body, with Content-Type text/event-stream and chunked transfer encoding.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace gateway::http {

namespace detail {
struct stream_state;
}

// A handle to one open event stream. Copies share the stream, and every
// member is safe to call from any thread; none blocks on the network.
// The stream ends on close(), when the client disconnects, when the
// pending data exceeds server_options::max_stream_queue_bytes (the client
// reads too slowly) or when the server stops.
//
// NOTE: a client that disconnects is noticed only when a chunk write
// fails, so long-lived streams should send a comment line (": ping\n\n")
// now and then.
class stream_writer {
 public:
  // A writer that is already closed: send() returns false.
  stream_writer() = default;
  explicit stream_writer(std::shared_ptr<detail::stream_state> state);

  // Queues data to be sent as one chunk. Empty data is ignored. Returns
  // false, and drops the data, once the stream has ended.
  bool send(std::string data) const;

  // Ends the stream after the queued data. The connection then serves its
  // next request, unless the client asked to close it. Idempotent.
  void close() const;

  // False once the stream has ended or close() was called.
  [[nodiscard]] bool is_open() const;

  // Bytes queued by send() and not yet written to the socket, so that a
  // producer can pace itself below server_options::max_stream_queue_bytes.
  // 0 for a closed writer.
  [[nodiscard]] std::size_t queued_bytes() const;

  // Sets the function called once when the stream ends for any reason.
  // It runs on an HTTP thread and must not block; if the stream has
  // already ended it runs at once on the calling thread.
  void on_close(std::function<void()> callback) const;

 private:
  std::shared_ptr<detail::stream_state> state_;
};

// Formats one event: "event: <event>\n" (when event is not empty), one
// "data: " line per line of data, "id: <id>\n" (when id is not empty) and
// a blank line. Line breaks in event and id become spaces.
[[nodiscard]] std::string format_event(std::string_view event,
                                       std::string_view data,
                                       std::string_view id = {});

}  // namespace gateway::http

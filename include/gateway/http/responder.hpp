// The handle through which a handler responds to one request, now or later,
// from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gateway/http/event_stream.hpp"
#include "gateway/http/message.hpp"

namespace gateway::http {

namespace detail {
struct reply_state;
}

// Responds to one request. Copies share the request. Only the first
// response (a call or start_stream) counts and later ones are ignored, and
// every member is safe to call from any thread without blocking. Responses
// given after the connection closed or the server stopped are dropped. If
// every copy is destroyed without a response, the client gets a 500 error.
class responder {
 public:
  explicit responder(std::shared_ptr<detail::reply_state> state);

  // Sends a complete response.
  void operator()(response answer) const;

  // Starts a server-sent event stream with the given status and extra
  // header fields. Returns a closed writer if a response was already
  // given or the connection is gone. An HTTP/1.0 client gets a 505 error
  // instead, and the writer closes.
  [[nodiscard]] stream_writer start_stream(
      unsigned status = 200,
      std::vector<std::pair<std::string, std::string>> headers = {}) const;

  // Calls observer with the status of the response once it is given: a
  // stream's status when it starts, 500 when every copy was dropped
  // without a response. Call it before the responder is handed on, since
  // it is not safe concurrently with a response; a later call replaces
  // the observer.
  void observe(std::function<void(unsigned status)> observer) const;

 private:
  std::shared_ptr<detail::reply_state> state_;
};

}  // namespace gateway::http

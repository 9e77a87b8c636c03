// An HTTP/1.1 server on Boost.Beast that parses requests and hands each one
// to a handler. Routing and the meaning of requests are left to the handler.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gateway/http/message.hpp"
#include "gateway/http/responder.hpp"

namespace gateway::http {

// Called on an HTTP thread for every request. It must not block: it hands
// the work on and responds through the responder, possibly later and from
// another thread. An exception it throws becomes a 500 response.
using handler = std::function<void(request, responder)>;

struct server_options {
  std::string address = "127.0.0.1";
  unsigned short port = 0;  // 0 picks an ephemeral port, see server::port()
  std::size_t threads = 2;
  std::size_t max_body_bytes = 1 << 20;  // larger bodies get 413
  std::size_t max_header_bytes = 16384;  // request line and fields; 431
  std::size_t max_target_bytes = 8192;   // request target; 414
  // Time allowed to read each request, which is also the idle keep-alive
  // timeout; the connection is closed when it passes.
  std::chrono::seconds read_timeout{30};
  // Time allowed to write each response or stream chunk.
  std::chrono::seconds write_timeout{30};
  // Connections beyond this are accepted, sent a 503 response and closed.
  std::size_t max_connections = 1024;
  // Bytes an event stream may hold unsent before it is closed.
  std::size_t max_stream_queue_bytes = 1 << 20;
  // HTTPS when both are set: PEM files with the certificate chain and its
  // private key. The server then accepts TLS 1.2 and later only.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  // Called on a server thread with the status of each response the server
  // sends without calling the handler: 400 for a malformed request, 413,
  // 414 and 431 for the size limits, 503 beyond max_connections. May be
  // empty.
  std::function<void(unsigned status)> on_rejected;
};

// Owns the listening socket, the connections and the threads running them.
// start() and stop() may be called from any thread except the server's own
// (so not from a handler or a stream's close callback), but not
// concurrently with each other. A stopped server cannot be started again.
class server {
 public:
  server(server_options options, handler on_request);
  ~server();  // calls stop()
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Loads the TLS files if set, binds, listens and starts the threads.
  // Returns an error text naming the address or file on failure, nullopt
  // on success.
  [[nodiscard]] std::optional<std::string> start();

  // The bound port, valid after a successful start(); 0 before.
  [[nodiscard]] unsigned short port() const;

  // Closes the listening socket and every connection, drops responses not
  // yet sent and joins the threads. Idempotent.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace gateway::http

#include "gateway/http/server.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "listener.hpp"
#include "server_state.hpp"
#include "session.hpp"
#include "tls_context.hpp"

namespace gateway::http {

namespace net = boost::asio;

// The TLS context and the io_context are declared first so that they are
// destroyed last, after everything that refers to them.
struct server::impl {
  impl(server_options options, handler on_request)
      : io(static_cast<int>(std::max<std::size_t>(options.threads, 1))),
        state(std::make_shared<detail::server_state>(std::move(options),
                                                     std::move(on_request))) {}

  void run_io();
  [[nodiscard]] std::optional<std::string> load_tls();

  std::unique_ptr<net::ssl::context> tls;
  net::io_context io;
  std::shared_ptr<detail::server_state> state;
  std::shared_ptr<detail::listener> acceptor;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  bool started = false;
  bool stopped = false;
};

void server::impl::run_io() {
  // An exception thrown by a completion handler ends run(); log it and go
  // on serving the other connections.
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      state->log->error("HTTP thread caught an exception: {}", e.what());
    } catch (...) {
      state->log->error("HTTP thread caught an unknown exception");
    }
  }
}

std::optional<std::string> server::impl::load_tls() {
  const auto& options = state->options;
  if (options.tls_certificate_file.empty() &&
      options.tls_private_key_file.empty()) {
    return std::nullopt;
  }
  if (options.tls_certificate_file.empty() ||
      options.tls_private_key_file.empty()) {
    return "HTTPS needs both a certificate file and a private key file";
  }

  std::string error;
  tls = detail::make_tls_context(options, &error);
  if (!tls) return error;
  return std::nullopt;
}

server::server(server_options options, handler on_request)
    : impl_(std::make_unique<impl>(std::move(options), std::move(on_request))) {
}

server::~server() { stop(); }

std::optional<std::string> server::start() {
  if (impl_->started) return "the HTTP server was already started";
  impl_->started = true;

  const auto& options = impl_->state->options;
  if (auto error = impl_->load_tls()) return error;
  impl_->acceptor = std::make_shared<detail::listener>(impl_->io, impl_->state,
                                                       impl_->tls.get());
  if (auto error = impl_->acceptor->open(options.address, options.port)) {
    return error;
  }

  impl_->work.emplace(net::make_work_guard(impl_->io));
  impl_->acceptor->run();
  auto count = std::max<std::size_t>(options.threads, 1);
  for (std::size_t i = 0; i < count; ++i) {
    impl_->threads.emplace_back([this] { impl_->run_io(); });
  }
  impl_->state->log->info("{} server listening on {}:{}",
                          impl_->tls ? "HTTPS" : "HTTP", options.address,
                          port());
  return std::nullopt;
}

unsigned short server::port() const {
  return impl_->acceptor ? impl_->acceptor->port() : 0;
}

void server::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;

  // From here on no responder or stream writer posts onto the io_context.
  {
    std::lock_guard<std::recursive_mutex> lock(impl_->state->gate->mutex);
    impl_->state->gate->open = false;
  }

  if (impl_->acceptor) impl_->acceptor->close();
  for (auto& connection : impl_->state->begin_stop()) connection->shutdown();
  impl_->work.reset();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  if (impl_->started) impl_->state->log->info("HTTP server stopped");
}

}  // namespace gateway::http

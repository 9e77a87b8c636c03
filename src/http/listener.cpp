#include "listener.hpp"

#include <chrono>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "session.hpp"

namespace gateway::http::detail {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Pause after a failed accept, such as running out of file descriptors,
// so that the retry does not spin.
constexpr std::chrono::milliseconds accept_retry_delay{100};

}  // namespace

listener::listener(net::io_context& io, std::shared_ptr<server_state> state,
                   net::ssl::context* tls_context)
    : io_(io),
      strand_(net::make_strand(io)),
      acceptor_(strand_),
      retry_timer_(strand_),
      state_(std::move(state)),
      tls_context_(tls_context) {}

std::optional<std::string> listener::open(const std::string& address,
                                          unsigned short port) {
  auto where = address + ":" + std::to_string(port);
  beast::error_code ec;
  auto ip = net::ip::make_address(address, ec);
  if (ec) return "invalid listen address " + where + ": " + ec.message();

  tcp::endpoint endpoint(ip, port);
  if (acceptor_.open(endpoint.protocol(), ec); ec) {
    return "cannot open a socket for " + where + ": " + ec.message();
  }
  if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec) {
    return "cannot set SO_REUSEADDR for " + where + ": " + ec.message();
  }
  if (acceptor_.bind(endpoint, ec); ec) {
    return "cannot bind " + where + ": " + ec.message();
  }
  if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) {
    return "cannot listen on " + where + ": " + ec.message();
  }
  port_ = acceptor_.local_endpoint(ec).port();
  return std::nullopt;
}

void listener::run() {
  net::post(strand_, [self = shared_from_this()] { self->do_accept(); });
}

void listener::close() {
  net::post(strand_, [self = shared_from_this()] {
    beast::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_timer_.cancel();
  });
}

void listener::do_accept() {
  if (!acceptor_.is_open()) return;
  acceptor_.async_accept(
      net::make_strand(io_),
      beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    state_->log->debug("accept failed: {}", ec.message());
    retry_timer_.expires_after(accept_retry_delay);
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e) self->do_accept();
    });
    return;
  }

  // Counted before this connection is added.
  bool busy = state_->connection_count() >= state_->options.max_connections;
  auto connection =
      std::make_shared<session>(std::move(socket), state_, tls_context_);
  if (!state_->add(connection)) return;  // stopping
  if (busy) {
    connection->reject_busy();
  } else {
    connection->start();
  }
  do_accept();
}

}  // namespace gateway::http::detail

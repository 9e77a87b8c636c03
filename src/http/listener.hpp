// The listening socket: accepts connections and starts a session for each.
// Internal to gateway_http.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>

#include "server_state.hpp"

namespace gateway::http::detail {

class listener : public std::enable_shared_from_this<listener> {
 public:
  // Sessions speak HTTPS when tls_context is set. It must outlive them.
  listener(boost::asio::io_context& io, std::shared_ptr<server_state> state,
           boost::asio::ssl::context* tls_context);

  // Opens, binds and listens. Returns an error text naming the address, or
  // nullopt. Call once, before run().
  [[nodiscard]] std::optional<std::string> open(const std::string& address,
                                                unsigned short port);

  // The bound port after a successful open().
  [[nodiscard]] unsigned short port() const { return port_; }

  // Starts accepting connections.
  void run();

  // Closes the listening socket; safe from any thread.
  void close();

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec,
                 boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  std::shared_ptr<server_state> state_;
  boost::asio::ssl::context* tls_context_;
  unsigned short port_ = 0;
};

}  // namespace gateway::http::detail

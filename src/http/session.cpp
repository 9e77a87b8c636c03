#include "session.hpp"

#include <exception>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "gateway/http/responder.hpp"
#include "reply_state.hpp"
#include "request_conversion.hpp"
#include "stream_state.hpp"

namespace gateway::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

namespace {

constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";

std::string peer_address(const net::ip::tcp::socket& socket) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string("unknown") : endpoint.address().to_string();
}

// The size of the header fields as sent, without the request line.
template <class Message>
std::size_t field_bytes(const Message& message) {
  std::size_t total = 0;
  for (const auto& field : message)
    total += field.name_string().size() + field.value().size() + 4;
  return total;
}

bool is_http_error(const beast::error_code& ec) {
  return ec.category() ==
         bhttp::make_error_code(bhttp::error::bad_target).category();
}

std::variant<beast::tcp_stream, tls_stream> make_stream(
    net::ip::tcp::socket socket, net::ssl::context* tls_context) {
  using stream_variant = std::variant<beast::tcp_stream, tls_stream>;
  if (tls_context == nullptr) {
    return stream_variant(std::in_place_type<beast::tcp_stream>,
                          std::move(socket));
  }
  return stream_variant(std::in_place_type<tls_stream>, std::move(socket),
                        *tls_context);
}

}  // namespace

session::session(net::ip::tcp::socket socket,
                 std::shared_ptr<server_state> state,
                 net::ssl::context* tls_context)
    : remote_address_(peer_address(socket)),
      stream_(make_stream(std::move(socket), tls_context)),
      state_(std::move(state)) {}

session::~session() {
  if (event_stream_) event_stream_->finish();
  state_->remove(this);
}

beast::tcp_stream& session::tcp() {
  return std::visit(
      [](auto& stream) -> beast::tcp_stream& {
        return beast::get_lowest_layer(stream);
      },
      stream_);
}

void session::start() {
  net::dispatch(tcp().get_executor(), [self = shared_from_this()] {
    if (self->phase_ != phase::closed) self->do_handshake(false);
  });
}

void session::reject_busy() {
  net::dispatch(tcp().get_executor(), [self = shared_from_this()] {
    self->state_->log->debug("rejecting connection from {}: {} open",
                             self->remote_address_,
                             self->state_->options.max_connections);
    if (self->phase_ != phase::closed) self->do_handshake(true);
  });
}

void session::do_handshake(bool busy) {
  auto* tls = std::get_if<tls_stream>(&stream_);
  if (tls == nullptr) return on_handshake(busy, {});

  tcp().expires_after(state_->options.read_timeout);
  tls->async_handshake(net::ssl::stream_base::server,
                       beast::bind_front_handler(&session::on_handshake,
                                                 shared_from_this(), busy));
}

void session::on_handshake(bool busy, beast::error_code ec) {
  if (phase_ == phase::closed) return;
  if (ec) return fail(ec, "TLS handshake");
  if (!busy) return do_read_header();

  version_ = 11;
  send_error(503, "unavailable", "too many open connections, retry later");
}

void session::shutdown() {
  net::post(tcp().get_executor(),
            [self = shared_from_this()] { self->close(); });
}

void session::do_read_header() {
  phase_ = phase::reading;
  parser_.emplace();
  // The request line counts towards Beast's header limit; a long target
  // gets 414 below rather than 431 here.
  parser_->header_limit(static_cast<std::uint32_t>(
      state_->options.max_header_bytes + state_->options.max_target_bytes));
  parser_->body_limit(state_->options.max_body_bytes);

  // One deadline covers the idle wait, the header and the body.
  tcp().expires_after(state_->options.read_timeout);
  with_stream([&](auto& stream) {
    bhttp::async_read_header(stream, buffer_, *parser_,
                             beast::bind_front_handler(&session::on_read_header,
                                                       shared_from_this()));
  });
  self_.reset();  // the pending read keeps the session alive
}

void session::on_read_header(beast::error_code ec, std::size_t) {
  if (phase_ == phase::closed) return;
  if (ec) return on_read_error(ec);

  const auto& message = parser_->get();
  version_ = message.version();
  if (message.target().size() > state_->options.max_target_bytes) {
    return send_error(414, "uri_too_long",
                      "the request target exceeds " +
                          std::to_string(state_->options.max_target_bytes) +
                          " bytes");
  }
  if (field_bytes(message) > state_->options.max_header_bytes) {
    return send_error(431, "headers_too_large",
                      "the request header exceeds " +
                          std::to_string(state_->options.max_header_bytes) +
                          " bytes");
  }

  // Clients such as curl wait for this before sending a large body.
  if (beast::iequals(message[bhttp::field::expect], "100-continue") &&
      !parser_->is_done()) {
    return with_stream([&](auto& stream) {
      net::async_write(stream,
                       net::buffer(continue_line.data(), continue_line.size()),
                       beast::bind_front_handler(&session::on_continue_written,
                                                 shared_from_this()));
    });
  }
  do_read_body();
}

void session::on_continue_written(beast::error_code ec, std::size_t) {
  if (phase_ == phase::closed) return;
  if (ec) return fail(ec, "write 100 Continue");
  do_read_body();
}

void session::do_read_body() {
  if (parser_->is_done()) return dispatch_request();
  with_stream([&](auto& stream) {
    bhttp::async_read(
        stream, buffer_, *parser_,
        beast::bind_front_handler(&session::on_read_body, shared_from_this()));
  });
}

void session::on_read_body(beast::error_code ec, std::size_t) {
  if (phase_ == phase::closed) return;
  if (ec) return on_read_error(ec);
  dispatch_request();
}

void session::on_read_error(beast::error_code ec) {
  if (ec == bhttp::error::end_of_stream || ec == net::error::eof) {
    return close();  // the client closed between requests
  }
  if (ec == bhttp::error::body_limit) {
    return send_error(413, "body_too_large",
                      "the request body exceeds " +
                          std::to_string(state_->options.max_body_bytes) +
                          " bytes");
  }
  if (ec == bhttp::error::header_limit) {
    return send_error(431, "headers_too_large",
                      "the request header exceeds " +
                          std::to_string(state_->options.max_header_bytes) +
                          " bytes");
  }
  if (is_http_error(ec) && ec != bhttp::error::partial_message) {
    state_->log->debug("malformed request from {}: {}", remote_address_,
                       ec.message());
    return send_error(400, "invalid_request", "malformed HTTP request");
  }
  fail(ec, "read");
}

void session::dispatch_request() {
  auto& message = parser_->get();
  keep_alive_ = message.keep_alive();
  is_head_ = message.method() == bhttp::verb::head;
  auto converted = to_request(message, remote_address_);
  if (!converted) {
    return send_error(400, "invalid_request",
                      "the request target is not a valid path and query");
  }

  ++sequence_;
  phase_ = phase::handling;
  self_ = shared_from_this();
  responder reply(
      std::make_shared<reply_state>(weak_from_this(), state_->gate, sequence_,
                                    state_->options.max_stream_queue_bytes));
  try {
    state_->on_request(std::move(*converted), reply);
  } catch (const std::exception& e) {
    state_->log->error("handler failed on {}: {}", remote_address_, e.what());
    reply(error_response(500, "internal", "the request handler failed"));
  } catch (...) {
    state_->log->error("handler failed on {}", remote_address_);
    reply(error_response(500, "internal", "the request handler failed"));
  }
}

void session::fail(beast::error_code ec, const char* operation) {
  if (ec != net::error::operation_aborted) {
    state_->log->debug("connection from {}: {} failed: {}", remote_address_,
                       operation, ec.message());
  }
  close();
}

void session::close() {
  if (phase_ == phase::closed) return;
  phase_ = phase::closed;
  auto keep = std::move(self_);
  if (event_stream_) {
    event_stream_->finish();
    event_stream_.reset();
  }

  // NOTE: a TLS connection is closed without a close_notify alert. Clients
  // still detect a truncated response, because every response is
  // delimited by its length or its last chunk.
  beast::error_code ignored;
  tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  tcp().close();
}

}  // namespace gateway::http::detail

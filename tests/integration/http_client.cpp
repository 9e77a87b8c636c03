#include "http_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace gateway::integration {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

// Runs one asynchronous operation on stream to completion under deadline.
template <typename Start>
beast::error_code run_step(net::io_context& io, beast::tcp_stream& stream,
                           std::chrono::seconds deadline, Start start) {
  beast::error_code result;
  stream.expires_after(deadline);
  start([&](beast::error_code ec, auto&&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

bhttp::request<bhttp::string_body> make_request(const http_call& call) {
  bhttp::request<bhttp::string_body> message{bhttp::string_to_verb(call.method),
                                             call.target, 11};
  message.set(bhttp::field::host, "127.0.0.1");
  message.set(bhttp::field::connection, "close");
  if (!call.bearer_token.empty())
    message.set(bhttp::field::authorization, "Bearer " + call.bearer_token);
  for (const auto& [name, value] : call.headers) message.set(name, value);
  if (!call.body.empty() || call.method == "POST") {
    message.set(bhttp::field::content_type, "application/json");
    message.body() = call.body;
  }
  message.prepare_payload();
  return message;
}

}  // namespace

http_result send_http(unsigned short port, const http_call& call) {
  http_result out;
  net::io_context io;
  beast::tcp_stream stream(io);
  net::ip::tcp::endpoint endpoint(net::ip::address_v4::loopback(), port);

  auto ec = run_step(io, stream, call.deadline,
                     [&](auto done) { stream.async_connect(endpoint, done); });
  if (ec) {
    out.error = "connect: " + ec.message();
    return out;
  }

  auto message = make_request(call);
  ec = run_step(io, stream, call.deadline,
                [&](auto done) { bhttp::async_write(stream, message, done); });
  // A server that rejects a body early may close before the whole body
  // is written, but its response is still readable.
  std::string write_error = ec ? ec.message() : "";

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 << 20);
  parser.skip(call.method == "HEAD");  // Content-Length without a body
  ec = run_step(io, stream, call.deadline, [&](auto done) {
    bhttp::async_read(stream, buffer, parser, done);
  });
  if (ec) {
    out.error = "read: " + ec.message() +
                (write_error.empty() ? "" : "; write: " + write_error);
    return out;
  }
  auto response = parser.release();
  out.status = response.result_int();
  for (const auto& field : response)
    out.headers.emplace_back(std::string(field.name_string()),
                             std::string(field.value()));
  out.body = std::move(response.body());
  beast::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  return out;
}

}  // namespace gateway::integration

#include "gateway/client/http_client.hpp"

#include <array>
#include <limits>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace gateway::client {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

// Runs one asynchronous operation at a time to completion on its own
// io_context, under the step deadline (or none).
class step_runner {
 public:
  explicit step_runner(std::chrono::seconds timeout) : timeout_(timeout) {}

  net::io_context& io() { return io_; }

  template <class Stream, class Start>
  beast::error_code run(Stream& stream, bool with_deadline, Start start) {
    auto& lowest = beast::get_lowest_layer(stream);
    if (with_deadline) {
      lowest.expires_after(timeout_);
    } else {
      lowest.expires_never();
    }
    beast::error_code result;
    start([&](beast::error_code ec, auto&&...) { result = ec; });
    io_.restart();
    io_.run();
    return result;
  }

 private:
  net::io_context io_;
  std::chrono::seconds timeout_;
};

bhttp::request<bhttp::string_body> make_message(const base_url& url,
                                                const http_request& request) {
  bhttp::request<bhttp::string_body> message{
      bhttp::string_to_verb(request.method), url.path_prefix + request.target,
      11};
  message.set(bhttp::field::host, url.host);
  message.set(bhttp::field::user_agent, "choria-gw/" GATEWAY_VERSION);
  message.set(bhttp::field::accept, request.accept);
  message.set(bhttp::field::connection, "close");
  if (!request.bearer_token.empty())
    message.set(bhttp::field::authorization, "Bearer " + request.bearer_token);
  for (const auto& [name, value] : request.headers) message.set(name, value);
  if (!request.body.empty()) {
    message.set(bhttp::field::content_type, "application/json");
    message.body() = request.body;
  }
  message.prepare_payload();
  return message;
}

std::string describe(const std::string& step, const beast::error_code& ec) {
  return step + ": " + ec.message();
}

// Reads the body in pieces into consume, or into response->body when
// consume is null, after the header has been read.
template <class Stream>
void read_body(step_runner& runner, Stream& stream, beast::flat_buffer& buffer,
               bhttp::response_parser<bhttp::buffer_body>& parser,
               const body_consumer* consume, http_response* response) {
  std::array<char, 16384> piece;
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    auto ec = runner.run(stream, consume == nullptr, [&](auto done) {
      bhttp::async_read_some(stream, buffer, parser, done);
    });
    if (ec == bhttp::error::need_buffer) ec = {};
    std::string_view data(piece.data(),
                          piece.size() - parser.get().body().size);
    if (consume != nullptr) {
      if (!data.empty() && !(*consume)(data)) return;
    } else {
      response->body.append(data);
    }
    if (ec) {
      // The server closing the connection ends a stream normally.
      if (consume == nullptr || ec != net::error::eof)
        response->error = describe("read", ec);
      return;
    }
  }
}

template <class Stream>
http_response exchange(step_runner& runner, Stream& stream, const base_url& url,
                       const http_request& request,
                       const body_consumer* consume) {
  http_response response;
  auto message = make_message(url, request);
  auto ec = runner.run(stream, true, [&](auto done) {
    bhttp::async_write(stream, message, done);
  });
  // A server that rejects a request early may close before the whole body
  // is written, but its response is still readable.
  std::string write_error = ec ? describe("write", ec) : "";

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  // Streams have no length limit. boost::none cannot express that, since
  // Boost 1.74 compares a Content-Length against it as if it were 0.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  ec = runner.run(stream, true, [&](auto done) {
    bhttp::async_read_header(stream, buffer, parser, done);
  });
  if (ec) {
    response.error = write_error.empty() ? describe("read", ec) : write_error;
    return response;
  }
  response.status = parser.get().result_int();
  response.content_type = std::string(parser.get()[bhttp::field::content_type]);
  bool streamed = consume != nullptr && response.status / 100 == 2;
  read_body(runner, stream, buffer, parser, streamed ? consume : nullptr,
            &response);
  if (!response.error.empty() && !streamed) response.status = 0;
  return response;
}

// Opens a TCP connection to url; returns the error text, empty on success.
std::string connect(step_runner& runner, beast::tcp_stream& stream,
                    const base_url& url) {
  tcp::resolver resolver(runner.io());
  beast::error_code ec;
  auto endpoints = resolver.resolve(url.host, url.port, ec);
  if (ec) return describe("resolve " + url.host, ec);
  ec = runner.run(stream, true,
                  [&](auto done) { stream.async_connect(endpoints, done); });
  if (ec) return describe("connect to " + url.host + ":" + url.port, ec);
  return "";
}

std::string configure_tls(ssl::context& context, const std::string& ca_file) {
  context.set_verify_mode(ssl::verify_peer);
  context.set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  beast::error_code ec;
  if (ca_file.empty()) {
    context.set_default_verify_paths(ec);
  } else {
    context.load_verify_file(ca_file, ec);
  }
  if (ec) return "cannot load the CA file " + ca_file + ": " + ec.message();
  return "";
}

// A verify callback that checks the chain and then the host name, and
// stores why it rejected the certificate in *problem, which must outlive
// the handshake.
auto verify_certificate(const std::string& host, std::string* problem) {
  return [check_name = ssl::host_name_verification(host), host, problem](
             bool preverified, ssl::verify_context& context) mutable {
    if (!preverified) {
      int error = X509_STORE_CTX_get_error(context.native_handle());
      if (problem->empty()) *problem = X509_verify_cert_error_string(error);
      return false;
    }
    if (!check_name(preverified, context)) {
      *problem = "the certificate does not name " + host;
      return false;
    }
    return true;
  };
}

}  // namespace

nlohmann::json http_response::json() const {
  return nlohmann::json::parse(body, nullptr, false);
}

http_client::http_client(base_url url, connection_options options)
    : url_(std::move(url)), options_(std::move(options)) {}

http_response http_client::send(const http_request& request) const {
  return stream(request, nullptr);
}

http_response http_client::stream(const http_request& request,
                                  const body_consumer& consume) const {
  http_response failed;
  step_runner runner(options_.timeout);
  beast::tcp_stream tcp_stream(runner.io());
  failed.error = connect(runner, tcp_stream, url_);
  if (!failed.error.empty()) return failed;
  const body_consumer* consumer = consume ? &consume : nullptr;
  if (!url_.tls) return exchange(runner, tcp_stream, url_, request, consumer);

  ssl::context context(ssl::context::tls_client);
  failed.error = configure_tls(context, options_.ca_file);
  if (!failed.error.empty()) return failed;
  beast::ssl_stream<beast::tcp_stream> tls_stream(std::move(tcp_stream),
                                                  context);
  SSL_set_tlsext_host_name(tls_stream.native_handle(), url_.host.c_str());
  std::string certificate_error;
  tls_stream.set_verify_callback(
      verify_certificate(url_.host, &certificate_error));
  auto ec = runner.run(tls_stream, true, [&](auto done) {
    tls_stream.async_handshake(ssl::stream_base::client, done);
  });
  if (ec) {
    failed.error = describe("TLS handshake with " + url_.host, ec);
    failed.certificate_error = certificate_error;
    return failed;
  }
  return exchange(runner, tls_stream, url_, request, consumer);
}

}  // namespace gateway::client

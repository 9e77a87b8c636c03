// HTTPS with the go-choria test certificates: a TLS client verifying the
// server against the test CA.
#include <string>

#include <gtest/gtest.h>
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include "gateway/http/server.hpp"
#include "test_client.hpp"

namespace gateway::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

const std::string certificates =
    std::string(GATEWAY_SHARED_DIR) + "/choria/testdata-go-choria/";

server_options tls_options() {
  server_options options;
  options.tls_certificate_file = certificates + "certs/1.mcollective.pem";
  options.tls_private_key_file =
      certificates + "private_keys/1.mcollective.pem";
  return options;
}

// Connects with TLS, verifying the server certificate against the test
// CA, and sends one GET request. Returns the response, or the error text.
std::string fetch_over_tls(unsigned short port, const std::string& target,
                           int max_version = 0) {
  net::io_context io;
  net::ssl::context context(net::ssl::context::tls_client);
  context.load_verify_file(certificates + "certs/ca.pem");
  context.set_verify_mode(net::ssl::verify_peer);
  if (max_version != 0) {
    SSL_CTX_set_max_proto_version(context.native_handle(), max_version);
  }
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));

  beast::error_code ec;
  beast::get_lowest_layer(stream).connect(
      net::ip::tcp::endpoint(net::ip::address_v4::loopback(), port), ec);
  if (ec) return "connect: " + ec.message();
  stream.handshake(net::ssl::stream_base::client, ec);
  if (ec) return "handshake: " + ec.message();

  bhttp::request<bhttp::string_body> message{bhttp::verb::get, target, 11};
  message.set(bhttp::field::host, "1.mcollective");
  bhttp::write(stream, message, ec);
  if (ec) return "write: " + ec.message();
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> reply;
  bhttp::read(stream, buffer, reply, ec);
  if (ec) return "read: " + ec.message();
  return std::to_string(reply.result_int()) + " " + reply.body();
}

TEST(ServerTls, ServesRequestOverTls) {
  server web(tls_options(), [](request received, responder reply) {
    reply(json_response(200, "secure " + received.path));
  });
  auto error = web.start();
  ASSERT_FALSE(error) << *error;
  EXPECT_EQ(fetch_over_tls(web.port(), "/hello"), "200 secure /hello");
}

TEST(ServerTls, RejectsTls11Client) {
  server web(tls_options(),
             [](request, responder reply) { reply(json_response(200, "ok")); });
  ASSERT_FALSE(web.start());
  auto result = fetch_over_tls(web.port(), "/", TLS1_1_VERSION);
  EXPECT_EQ(result.rfind("handshake: ", 0), 0u) << result;
}

TEST(ServerTls, PlainHttpOnTlsPortIsClosed) {
  server web(tls_options(),
             [](request, responder reply) { reply(json_response(200, "ok")); });
  ASSERT_FALSE(web.start());
  testing::test_client client(web.port());
  ASSERT_FALSE(client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_FALSE(client.read());
}

TEST(ServerTls, StartFailsOnMissingCertificate) {
  auto options = tls_options();
  options.tls_certificate_file = certificates + "certs/missing.pem";
  server web(options, [](request, responder) {});
  auto error = web.start();
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("missing.pem"), std::string::npos) << *error;
}

TEST(ServerTls, StartFailsOnMismatchedKey) {
  auto options = tls_options();
  options.tls_private_key_file =
      certificates + "private_keys/rip.mcollective.pem";
  server web(options, [](request, responder) {});
  auto error = web.start();
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("rip.mcollective.pem"), std::string::npos) << *error;
}

TEST(ServerTls, StartFailsWithKeyButNoCertificate) {
  auto options = tls_options();
  options.tls_certificate_file.clear();
  server web(options, [](request, responder) {});
  auto error = web.start();
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("certificate"), std::string::npos) << *error;
}

}  // namespace
}  // namespace gateway::http

// The listener's transport: `serve` starts plain HTTP only when
// gateway.listen_plain_http is true, and `init` writes an HTTPS set-up
// unless --plain-http is given. No broker runs, because serve
// starts its listener while it keeps trying to reach one.
#include <sys/wait.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "http_client.hpp"
#include "process.hpp"

namespace gateway::integration {
namespace {

using namespace std::chrono_literals;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

// A set-up written by `init` in a fresh folder, with its listener port.
struct setup {
  temp_dir folder;
  unsigned short port = 0;

  [[nodiscard]] std::string file(const std::string& name) const {
    return folder.file("setup/" + name);
  }
};

// Runs init with the extra arguments, and fails the test when init fails.
void write_setup(setup& out, const std::vector<std::string>& extra) {
  int port = free_loopback_port();
  int broker_port = free_loopback_port();
  ASSERT_GT(port, 0);
  ASSERT_GT(broker_port, 0);
  out.port = static_cast<unsigned short>(port);
  std::vector<std::string> arguments{
      "init",
      "--dir",
      out.folder.file("setup"),
      "--listen",
      "127.0.0.1:" + std::to_string(port),
      "--broker",
      "127.0.0.1:" + std::to_string(broker_port)};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  child_process init(GATEWAY_PATH, arguments, out.folder.file("init.txt"));
  ASSERT_EQ(init.wait_exit(30s), 0) << read_text(out.folder.file("init.txt"));
}

// Rewrites gateway.conf without the lines that start with key.
void remove_key(const setup& where, const std::string& key) {
  std::istringstream lines(read_text(where.file("gateway.conf")));
  std::string kept;
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(key, 0) != 0) kept += line + "\n";
  std::ofstream(where.file("gateway.conf"), std::ios::trunc) << kept;
}

// GET target over TLS, verifying the server against ca_file. Returns
// "STATUS BODY" or the failed step and its error.
std::string fetch_over_tls(unsigned short port, const std::string& ca_file,
                           const std::string& target) {
  net::io_context io;
  net::ssl::context context(net::ssl::context::tls_client);
  context.load_verify_file(ca_file);
  context.set_verify_mode(net::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  beast::get_lowest_layer(stream).expires_after(10s);
  if (!SSL_set1_host(stream.native_handle(), "127.0.0.1"))
    return "SSL_set1_host failed";

  beast::error_code code;
  beast::get_lowest_layer(stream).connect(
      net::ip::tcp::endpoint(net::ip::address_v4::loopback(), port), code);
  if (code) return "connect: " + code.message();
  stream.handshake(net::ssl::stream_base::client, code);
  if (code) return "handshake: " + code.message();
  bhttp::request<bhttp::string_body> request{bhttp::verb::get, target, 11};
  request.set(bhttp::field::host, "127.0.0.1");
  bhttp::write(stream, request, code);
  if (code) return "write: " + code.message();
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(stream, buffer, response, code);
  if (code) return "read: " + code.message();
  return std::to_string(response.result_int()) + " " + response.body();
}

http_result get_plain(unsigned short port, const std::string& target) {
  http_call call;
  call.target = target;
  call.deadline = 2s;
  return send_http(port, call);
}

TEST(ListenerTransport, NoTlsAndNoPlainHttpKeyFails) {
  setup where;
  ASSERT_NO_FATAL_FAILURE(write_setup(where, {"--plain-http"}));
  remove_key(where, "gateway.listen_plain_http");

  child_process gateway(GATEWAY_PATH,
                        {"serve", "--config", where.file("gateway.conf")},
                        where.folder.file("gateway.log"));
  int status = gateway.wait_exit(30s);
  std::string log = read_text(where.folder.file("gateway.log"));
  ASSERT_NE(status, -1) << "serve did not stop:\n" << log;
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 2) << log;
  EXPECT_NE(log.find("set gateway.tls.certificate and gateway.tls.key"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("gateway.listen_plain_http = true"), std::string::npos)
      << log;
  EXPECT_EQ(get_plain(where.port, "/healthz").status, 0u);
}

TEST(ListenerTransport, PlainHttpKeyStartsPlainListener) {
  setup where;
  ASSERT_NO_FATAL_FAILURE(write_setup(where, {"--plain-http"}));
  EXPECT_NE(read_text(where.file("gateway.conf"))
                .find("gateway.listen_plain_http = true"),
            std::string::npos);

  child_process gateway(GATEWAY_PATH,
                        {"serve", "--config", where.file("gateway.conf")},
                        where.folder.file("gateway.log"));
  EXPECT_TRUE(wait_until(
      [&] { return get_plain(where.port, "/healthz").status == 200; }, 30s))
      << read_text(where.folder.file("gateway.log"));
  EXPECT_NE(read_text(where.folder.file("gateway.log"))
                .find("listening on http://127.0.0.1:"),
            std::string::npos);
}

TEST(ListenerTransport, InitWritesHttpsListener) {
  setup where;
  ASSERT_NO_FATAL_FAILURE(write_setup(where, {}));
  std::string config = read_text(where.file("gateway.conf"));
  EXPECT_NE(config.find("gateway.tls.certificate = https.pem"),
            std::string::npos)
      << config;
  EXPECT_EQ(config.find("gateway.listen_plain_http"), std::string::npos)
      << config;
  EXPECT_NE(read_text(where.folder.file("init.txt"))
                .find("url:           https://127.0.0.1:"),
            std::string::npos);

  child_process gateway(GATEWAY_PATH,
                        {"serve", "--config", where.file("gateway.conf")},
                        where.folder.file("gateway.log"));
  std::string fetched;
  EXPECT_TRUE(wait_until(
      [&] {
        fetched = fetch_over_tls(where.port, where.file("ca.pem"), "/healthz");
        return fetched.rfind("200 ", 0) == 0;
      },
      30s))
      << fetched << "\n"
      << read_text(where.folder.file("gateway.log"));
  EXPECT_NE(get_plain(where.port, "/healthz").status, 200u);
}

}  // namespace
}  // namespace gateway::integration

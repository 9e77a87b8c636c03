// The client's HTTP layer against the gateway's own HTTP server: HTTPS
// with CA and host name verification, and event streams read piece by
// piece.
#include "gateway/client/http_client.hpp"

#include <stdlib.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "gateway/choria/pki.hpp"
#include "gateway/client/event_stream_parser.hpp"
#include "gateway/http/event_stream.hpp"
#include "gateway/http/server.hpp"

namespace gateway::client {
namespace {

// Serves /events with a stream of three events and the rest with the
// request's method, target and Authorization field as JSON.
void serve(http::request request, http::responder respond) {
  if (request.path == "/events") {
    auto writer = respond.start_stream();
    for (int i = 1; i <= 3; ++i)
      (void)writer.send(http::format_event("reply", std::to_string(i),
                                           std::to_string(i)));
    (void)writer.send(http::format_event("end", "{}"));
    writer.close();
    return;
  }
  auto found = request.headers.find("authorization");
  nlohmann::json body = {
      {"method", request.method},
      {"path", request.path},
      {"authorization",
       found == request.headers.end() ? "" : found->second},
      {"body", request.body}};
  respond(http::json_response(200, body.dump()));
}

class HttpClient : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/choria-gw-http.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    folder_ = pattern;
  }
  void TearDown() override {
    if (server_) server_->stop();
    std::filesystem::remove_all(folder_);
  }

  // Starts the server, with HTTPS for 127.0.0.1 when tls is true.
  void start(bool tls) {
    http::server_options options;
    if (tls) {
      std::string error;
      auto ca = pki::make_ca("client test CA", 1, &error);
      ASSERT_TRUE(ca) << error;
      pki::certificate_request request;
      request.common_name = "127.0.0.1";
      request.ip_addresses = {"127.0.0.1"};
      request.client_auth = false;
      request.server_auth = true;
      auto leaf = pki::issue(*ca, request, &error);
      ASSERT_TRUE(leaf) << error;
      ca_file_ = folder_ + "/ca.pem";
      options.tls_certificate_file = folder_ + "/server.pem";
      options.tls_private_key_file = folder_ + "/server-key.pem";
      ASSERT_TRUE(pki::write_file(ca_file_, ca->certificate_pem, 0644, &error));
      ASSERT_TRUE(pki::write_file(options.tls_certificate_file,
                                  leaf->certificate_pem, 0644, &error));
      ASSERT_TRUE(pki::write_file(options.tls_private_key_file,
                                  leaf->private_key_pem, 0600, &error));
    }
    server_ = std::make_unique<http::server>(options, serve);
    auto failure = server_->start();
    ASSERT_FALSE(failure) << *failure;
  }

  http_client client(const std::string& host, bool tls,
                     const std::string& ca_file) const {
    std::string error;
    auto url = parse_base_url(std::string(tls ? "https://" : "http://") +
                                  host + ":" +
                                  std::to_string(server_->port()),
                              &error);
    EXPECT_TRUE(url) << error;
    connection_options options;
    options.ca_file = ca_file;
    options.timeout = std::chrono::seconds(10);
    return http_client(*url, options);
  }

  std::string folder_;
  std::string ca_file_;
  std::unique_ptr<http::server> server_;
};

TEST_F(HttpClient, SendsBodyAndToken) {
  start(false);
  http_request request;
  request.method = "POST";
  request.target = "/v1/requests";
  request.body = R"({"agent":"rpcutil"})";
  request.bearer_token = "token-1";
  auto response = client("127.0.0.1", false, "").send(request);
  ASSERT_EQ(response.status, 200u) << response.error;
  auto echo = response.json();
  EXPECT_EQ(echo["method"], "POST");
  EXPECT_EQ(echo["path"], "/v1/requests");
  EXPECT_EQ(echo["authorization"], "Bearer token-1");
  EXPECT_EQ(echo["body"], R"({"agent":"rpcutil"})");
  EXPECT_EQ(response.content_type, "application/json");
}

TEST_F(HttpClient, HttpsVerifiesTheCa) {
  start(true);
  http_request request;
  request.target = "/healthz";
  auto trusted = client("127.0.0.1", true, ca_file_).send(request);
  EXPECT_EQ(trusted.status, 200u) << trusted.error;

  // The system CAs do not know the test CA.
  auto untrusted = client("127.0.0.1", true, "").send(request);
  EXPECT_EQ(untrusted.status, 0u);
  EXPECT_NE(untrusted.error.find("TLS handshake"), std::string::npos)
      << untrusted.error;
}

TEST_F(HttpClient, HttpsVerifiesTheHostName) {
  start(true);
  http_request request;
  request.target = "/healthz";
  // localhost reaches the server, but its certificate names 127.0.0.1
  // only.
  auto response = client("localhost", true, ca_file_).send(request);
  EXPECT_EQ(response.status, 0u);
  EXPECT_NE(response.error.find("TLS handshake"), std::string::npos)
      << response.error;
}

TEST_F(HttpClient, MissingCaFileIsReported) {
  start(true);
  http_request request;
  auto response =
      client("127.0.0.1", true, folder_ + "/none.pem").send(request);
  EXPECT_EQ(response.status, 0u);
  EXPECT_NE(response.error.find("none.pem"), std::string::npos)
      << response.error;
}

TEST_F(HttpClient, StreamDeliversEveryEvent) {
  start(false);
  std::vector<server_event> events;
  event_stream_parser parser([&](const server_event& event) {
    events.push_back(event);
    return true;
  });
  http_request request;
  request.target = "/events";
  auto response = client("127.0.0.1", false, "")
                      .stream(request, [&](std::string_view piece) {
                        return parser.feed(piece);
                      });
  EXPECT_EQ(response.status, 200u) << response.error;
  EXPECT_TRUE(response.error.empty()) << response.error;
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].data, "1");
  EXPECT_EQ(events[2].id, "3");
  EXPECT_EQ(events[3].event, "end");
}

TEST_F(HttpClient, StreamStopsWhenConsumerDeclines) {
  start(false);
  int pieces = 0;
  http_request request;
  request.target = "/events";
  auto response = client("127.0.0.1", false, "")
                      .stream(request, [&](std::string_view) {
                        ++pieces;
                        return false;
                      });
  EXPECT_EQ(response.status, 200u) << response.error;
  EXPECT_EQ(pieces, 1);
}

TEST(HttpClientErrors, RefusedConnectionNamesTheAddress) {
  std::string error;
  auto url = parse_base_url("http://127.0.0.1:1", &error);
  ASSERT_TRUE(url) << error;
  http_request request;
  auto response = http_client(*url, {}).send(request);
  EXPECT_EQ(response.status, 0u);
  EXPECT_NE(response.error.find("127.0.0.1:1"), std::string::npos)
      << response.error;
}

}  // namespace
}  // namespace gateway::client

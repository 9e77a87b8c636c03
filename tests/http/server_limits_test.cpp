// Request limits, malformed input and timeouts. Each gets a JSON error
// response where HTTP allows one, and the connection is closed.
#include <chrono>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "gateway/http/server.hpp"
#include "test_client.hpp"

namespace gateway::http {
namespace {

using testing::test_client;
namespace bhttp = boost::beast::http;

class ServerLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_options options;
    options.max_body_bytes = 1024;
    options.max_header_bytes = 4096;
    options.max_target_bytes = 2048;
    options.read_timeout = std::chrono::seconds(1);
    server_ = std::make_unique<server>(
        options, [this](request received, responder reply) {
          ++handled_;
          reply(json_response(200, "handled"));
        });
    auto error = server_->start();
    ASSERT_FALSE(error) << *error;
  }

  // Sends raw bytes and expects an error response with the given status
  // and code, followed by the server closing the connection.
  void expect_rejection(std::string_view bytes, unsigned status,
                        std::string_view code) {
    test_client client(server_->port());
    ASSERT_FALSE(client.write(bytes));
    auto reply = client.read();
    ASSERT_TRUE(reply) << "no response for status " << status;
    EXPECT_EQ(reply->result_int(), status);
    auto body = nlohmann::json::parse(reply->body(), nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << reply->body();
    EXPECT_EQ(body["error"]["code"], code);
    EXPECT_FALSE(reply->keep_alive());
    EXPECT_TRUE(client.await_close());
    EXPECT_EQ(handled_.load(), 0);
  }

  std::unique_ptr<server> server_;
  std::atomic<int> handled_{0};
};

TEST_F(ServerLimitsTest, DeclaredBodyOverLimitGets413) {
  expect_rejection("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n",
                   413, "body_too_large");
}

TEST_F(ServerLimitsTest, ChunkedBodyOverLimitGets413) {
  std::string request =
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) {
    request += "200\r\n" + std::string(0x200, 'a') + "\r\n";
  }
  request += "0\r\n\r\n";
  expect_rejection(request, 413, "body_too_large");
}

TEST_F(ServerLimitsTest, BodyAtLimitIsAccepted) {
  test_client client(server_->port());
  auto reply = client.request(bhttp::verb::post, "/", std::string(1024, 'b'));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->result_int(), 200);
}

TEST_F(ServerLimitsTest, HugeHeaderGets431) {
  expect_rejection("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " +
                       std::string(8000, 'h') + "\r\n\r\n",
                   431, "headers_too_large");
}

TEST_F(ServerLimitsTest, HugeTargetGets414) {
  expect_rejection(
      "GET /" + std::string(3000, 't') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414,
      "uri_too_long");
}

TEST_F(ServerLimitsTest, TargetLongerThanHeaderLimitGets414) {
  // Longer than the header limit too: the target is what is too long.
  expect_rejection(
      "GET /" + std::string(5000, 't') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414,
      "uri_too_long");
}

TEST_F(ServerLimitsTest, FieldsJustOverLimitGet431) {
  expect_rejection("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " +
                       std::string(4100, 'h') + "\r\n\r\n",
                   431, "headers_too_large");
}

TEST_F(ServerLimitsTest, GarbageGets400) {
  expect_rejection("this is not HTTP at all\r\n\r\n", 400, "invalid_request");
}

TEST_F(ServerLimitsTest, InvalidPercentEncodingGets400) {
  expect_rejection("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                   "invalid_request");
}

TEST_F(ServerLimitsTest, EscapedNulInPathGets400) {
  expect_rejection("GET /v1/requests/%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                   "invalid_request");
}

TEST_F(ServerLimitsTest, TargetNotInOriginFormGets400) {
  expect_rejection("GET relative/path HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                   "invalid_request");
}

TEST_F(ServerLimitsTest, IdleConnectionClosedAfterReadTimeout) {
  test_client client(server_->port());
  auto began = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.await_close());
  auto waited = std::chrono::steady_clock::now() - began;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST_F(ServerLimitsTest, IdleKeepAliveConnectionClosedAfterReadTimeout) {
  test_client client(server_->port());
  auto reply = client.request(bhttp::verb::get, "/");
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->keep_alive());
  EXPECT_TRUE(client.await_close());
}

TEST_F(ServerLimitsTest, PartialRequestClosedAfterReadTimeout) {
  test_client client(server_->port());
  ASSERT_FALSE(client.write("GET / HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_TRUE(client.await_close());
  EXPECT_EQ(handled_.load(), 0);
}

}  // namespace
}  // namespace gateway::http

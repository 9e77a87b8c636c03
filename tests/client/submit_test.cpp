// Idempotent submits against the gateway's own HTTP server, with a handler
// that fails as a gateway might: the one retry carries the same
// Idempotency-Key, and only connection failures and 5xx statuses are
// retried.
#include "gateway/client/submit.hpp"

#include <stdlib.h>

#include <filesystem>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "gateway/http/server.hpp"

namespace gateway::client {
namespace {

// Responds to each submit with the next status of a script, 202 once the
// script runs out, and records the Idempotency-Key of every submit.
class scripted_gateway {
 public:
  explicit scripted_gateway(std::vector<unsigned> statuses)
      : statuses_(std::move(statuses)) {}

  void handle(const http::request& request, const http::responder& respond) {
    unsigned status = 202;
    {
      std::lock_guard lock(mutex_);
      auto key = request.headers.find("idempotency-key");
      keys_.push_back(key == request.headers.end() ? "" : key->second);
      if (keys_.size() <= statuses_.size())
        status = statuses_[keys_.size() - 1];
    }
    if (status == 202) {
      respond(http::json_response(
          202, R"({"request_id":"0123456789abcdef0123456789abcdef"})"));
      return;
    }
    respond(http::error_response(status, "scripted", "scripted failure"));
  }

  std::vector<std::string> keys() const {
    std::lock_guard lock(mutex_);
    return keys_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<unsigned> statuses_;
  std::vector<std::string> keys_;
};

class Submit : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/choria-gw-submit.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    folder_ = pattern;
    // No credentials file, so the session uses --url and this token.
    ::setenv("XDG_CONFIG_HOME", folder_.c_str(), 1);
    ::setenv("CHORIA_GW_TOKEN", "a-token", 1);
    ::unsetenv("CHORIA_GW_URL");
  }
  void TearDown() override {
    if (server_) server_->stop();
    std::filesystem::remove_all(folder_);
  }

  // Starts a server that responds with the statuses in turn.
  void start(std::vector<unsigned> statuses) {
    gateway_ = std::make_shared<scripted_gateway>(std::move(statuses));
    server_ = std::make_unique<http::server>(
        http::server_options{},
        [gateway = gateway_](http::request request, http::responder respond) {
          gateway->handle(request, respond);
        });
    auto failure = server_->start();
    ASSERT_FALSE(failure) << *failure;
  }

  // Submits to url with key and counts the retry notices.
  http_response submit(const std::string& url, const std::string& key) {
    global_options options;
    options.url = url;
    options.http_timeout = 10;
    int exit_code = 0;
    auto session = api_session::open(options, out_, &exit_code);
    EXPECT_TRUE(session) << "exit status " << exit_code;
    if (!session) return {};
    return submit_idempotent(*session, "/v1/requests", "{}", key,
                             [this](const http_response&) { ++notices_; });
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port());
  }

  std::string folder_;
  reporter out_{true};
  std::shared_ptr<scripted_gateway> gateway_;
  std::unique_ptr<http::server> server_;
  int notices_ = 0;
};

TEST_F(Submit, ServerErrorIsRetriedWithSameKey) {
  start({503});
  auto response = submit(url(), "key-1");
  EXPECT_EQ(response.status, 202u) << response.body << response.error;
  EXPECT_EQ(notices_, 1);
  EXPECT_EQ(gateway_->keys(), (std::vector<std::string>{"key-1", "key-1"}));
}

TEST_F(Submit, RetryHappensOnlyOnce) {
  start({500, 502});
  auto response = submit(url(), "key-2");
  EXPECT_EQ(response.status, 502u) << response.body;
  EXPECT_EQ(notices_, 1);
  EXPECT_EQ(gateway_->keys().size(), 2u);
}

TEST_F(Submit, ClientErrorsAreNotRetried) {
  for (unsigned status : {400u, 401u, 403u, 409u, 422u, 429u}) {
    start({status});
    auto response = submit(url(), "key-3");
    EXPECT_EQ(response.status, status);
    EXPECT_EQ(gateway_->keys().size(), 1u) << status;
    server_->stop();
  }
  EXPECT_EQ(notices_, 0);
}

TEST_F(Submit, ConnectionFailureIsRetried) {
  auto response = submit("http://127.0.0.1:1", "key-4");
  EXPECT_EQ(response.status, 0u);
  EXPECT_EQ(notices_, 1);
}

TEST(IdempotencyKey, FreshKeysDifferAndAreValid) {
  auto first = make_idempotency_key();
  auto second = make_idempotency_key();
  EXPECT_NE(first, second);
  EXPECT_EQ(first.size(), 42u) << first;
  EXPECT_TRUE(valid_idempotency_key(first)) << first;
}

TEST(IdempotencyKey, ValidKeysMatchTheGatewayRule) {
  EXPECT_TRUE(valid_idempotency_key("deploy-2026-12-04-1"));
  EXPECT_TRUE(valid_idempotency_key(std::string(255, 'k')));
  EXPECT_FALSE(valid_idempotency_key(""));
  EXPECT_FALSE(valid_idempotency_key(std::string(256, 'k')));
  EXPECT_FALSE(valid_idempotency_key("has space"));
  EXPECT_FALSE(valid_idempotency_key("tab\there"));
  EXPECT_FALSE(valid_idempotency_key("caf\xc3\xa9"));
}

}  // namespace
}  // namespace gateway::client

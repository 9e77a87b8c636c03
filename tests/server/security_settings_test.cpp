// The token, throttle and limit keys of the gateway's settings.
#include <gtest/gtest.h>

#include "gateway/server/settings.hpp"

namespace gateway {
namespace {

const std::string minimal_config =
    "gateway.data_dir = data\n"
    "gateway.users_file = users.json\n"
    "gateway.policy_file = policy.json\n"
    "gateway.token.secret_file = token.secret\n"
    "plugin.security.file.certificate = gw.pem\n"
    "plugin.security.file.key = gw-key.pem\n"
    "plugin.security.file.ca = ca.pem\n"
    "plugin.choria.middleware_hosts = tls://a:4222\n";

std::optional<settings> parse(const std::string& extra, std::string* error) {
  auto config = config_file::parse(minimal_config + extra, error);
  if (!config) return std::nullopt;
  return settings::from_config(*config, "/srv/gw", error);
}

TEST(SecuritySettings, Defaults) {
  std::string error;
  auto parsed = parse("", &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->token_clock_skew_seconds, 30);
  EXPECT_TRUE(parsed->token_previous_secret_files.empty());
  EXPECT_EQ(parsed->throttle_user_failures, 5u);
  EXPECT_EQ(parsed->throttle_address_failures, 20u);
  EXPECT_EQ(parsed->throttle_window_seconds, 300);
  EXPECT_EQ(parsed->user_requests_in_flight, 20u);
}

TEST(SecuritySettings, ReadsEveryKey) {
  std::string error;
  auto parsed = parse(
      "gateway.token.clock_skew = 0\n"
      "gateway.token.previous_secret_files = old.secret, /keys/older\n"
      "gateway.throttle.user_failures = 3\n"
      "gateway.throttle.address_failures = 9\n"
      "gateway.throttle.window = 60\n"
      "gateway.limits.user_requests_in_flight = 0\n",
      &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->token_clock_skew_seconds, 0);
  EXPECT_EQ(parsed->token_previous_secret_files,
            (std::vector<std::string>{"/srv/gw/old.secret", "/keys/older"}));
  EXPECT_EQ(parsed->throttle_user_failures, 3u);
  EXPECT_EQ(parsed->throttle_address_failures, 9u);
  EXPECT_EQ(parsed->throttle_window_seconds, 60);
  EXPECT_EQ(parsed->user_requests_in_flight, 0u);
}

TEST(SecuritySettings, InvalidValuesRejected) {
  const std::pair<const char*, const char*> cases[] = {
      {"gateway.token.clock_skew = -1\n", "gateway.token.clock_skew"},
      {"gateway.token.clock_skew = 601\n", "gateway.token.clock_skew"},
      {"gateway.throttle.user_failures = 0\n",
       "gateway.throttle.user_failures"},
      {"gateway.throttle.window = 0\n", "gateway.throttle.window"},
      {"gateway.throttle.window = soon\n", "gateway.throttle.window"},
      {"gateway.limits.user_requests_in_flight = -2\n",
       "gateway.limits.user_requests_in_flight"},
  };
  for (const auto& [line, key] : cases) {
    std::string error;
    EXPECT_FALSE(parse(line, &error).has_value()) << line;
    EXPECT_NE(error.find(key), std::string::npos) << line << ": " << error;
  }
}


TEST(ListenerSettings, PlainHttpNeedsExplicitKey) {
  std::string error;
  auto parsed = parse("", &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_FALSE(parsed->listen_plain_http);
  auto problem = parsed->listener_problem();
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("gateway.tls.certificate and gateway.tls.key"),
            std::string::npos)
      << *problem;
  EXPECT_NE(problem->find("gateway.listen_plain_http = true"),
            std::string::npos)
      << *problem;

  auto plain = parse("gateway.listen_plain_http = true\n", &error);
  ASSERT_TRUE(plain.has_value()) << error;
  EXPECT_TRUE(plain->listen_plain_http);
  EXPECT_FALSE(plain->listener_problem().has_value());

  auto https = parse(
      "gateway.tls.certificate = https.pem\ngateway.tls.key = https-key.pem\n",
      &error);
  ASSERT_TRUE(https.has_value()) << error;
  EXPECT_FALSE(https->listener_problem().has_value());
}

TEST(ListenerSettings, PlainHttpKeyMustBeBoolean) {
  std::string error;
  EXPECT_FALSE(parse("gateway.listen_plain_http = sometimes\n", &error));
  EXPECT_NE(error.find("gateway.listen_plain_http"), std::string::npos)
      << error;
}

}  // namespace
}  // namespace gateway

#include "gateway/server/settings.hpp"

#include <gtest/gtest.h>

namespace gateway {
namespace {

const char* minimal_config =
    "gateway.data_dir = data\n"
    "gateway.users_file = users.json\n"
    "gateway.policy_file = /etc/gw/policy.json\n"
    "gateway.token.secret_file = token.secret\n"
    "plugin.security.file.certificate = gw.pem\n"
    "plugin.security.file.key = gw-key.pem\n"
    "plugin.security.file.ca = ca.pem\n"
    "plugin.choria.middleware_hosts = tls://a:4222, tls://b:4222\n";

std::optional<settings> parse(const std::string& text, std::string* error) {
  auto config = config_file::parse(text, error);
  if (!config) return std::nullopt;
  return settings::from_config(*config, "/srv/gw", error);
}

TEST(Settings, MinimalConfigGetsDefaults) {
  std::string error;
  auto parsed = parse(minimal_config, &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->listen_address, "127.0.0.1");
  EXPECT_EQ(parsed->listen_port, 8080);
  EXPECT_EQ(parsed->data_dir, "/srv/gw/data");
  EXPECT_EQ(parsed->policy_file, "/etc/gw/policy.json");
  EXPECT_EQ(parsed->middleware_hosts.size(), 2u);
  EXPECT_EQ(parsed->main_collective, "mcollective");
  ASSERT_EQ(parsed->collectives.size(), 1u);
  EXPECT_TRUE(parsed->log_sync);
  EXPECT_EQ(parsed->callerid_for("alice"), "choria=alice");
}

TEST(Settings, ParsesListenAndCollectives) {
  std::string error;
  auto parsed = parse(std::string(minimal_config) +
                          "gateway.listen = [::1]:9443\n"
                          "main_collective = eu\n"
                          "collectives = us, asia\n"
                          "gateway.log.sync = false\n",
                      &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->listen_address, "::1");
  EXPECT_EQ(parsed->listen_port, 9443);
  EXPECT_EQ(parsed->collectives,
            (std::vector<std::string>{"eu", "us", "asia"}));
  EXPECT_FALSE(parsed->log_sync);
}

TEST(Settings, RejectsUnknownGatewayKey) {
  std::string error;
  auto parsed = parse(std::string(minimal_config) + "gateway.lisen = x\n",
                      &error);
  EXPECT_FALSE(parsed.has_value());
  EXPECT_NE(error.find("gateway.lisen"), std::string::npos) << error;
}

TEST(Settings, RejectsMissingRequiredKey) {
  std::string error;
  auto parsed = parse("gateway.data_dir = data\n", &error);
  EXPECT_FALSE(parsed.has_value());
  EXPECT_NE(error.find("missing required configuration key"),
            std::string::npos)
      << error;
}

TEST(Settings, RejectsBadValues) {
  for (const char* line :
       {"gateway.listen = nowhere\n", "gateway.listen = 1.2.3.4:99999\n",
        "gateway.log.sync = maybe\n", "gateway.token.lifetime = 5\n",
        "gateway.callerid_format = choria=admin\n"}) {
    std::string error;
    auto parsed = parse(std::string(minimal_config) + line, &error);
    EXPECT_FALSE(parsed.has_value()) << line;
    EXPECT_FALSE(error.empty()) << line;
  }
}

TEST(Settings, ReadsSignerPoolAndBacklog) {
  std::string error;
  auto defaults = parse(minimal_config, &error);
  ASSERT_TRUE(defaults.has_value()) << error;
  EXPECT_EQ(defaults->signers, 0u);
  EXPECT_EQ(defaults->signing_backlog, 1000u);

  auto parsed = parse(std::string(minimal_config) +
                          "gateway.signers = 4\n"
                          "gateway.limits.signing_backlog = 0\n",
                      &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->signers, 4u);
  EXPECT_EQ(parsed->signing_backlog, 0u);
}

TEST(Settings, RejectsBadSigningValues) {
  for (const char* key : {"gateway.signers = -1", "gateway.signers = 1000",
                          "gateway.limits.signing_backlog = -5"}) {
    std::string line = std::string(key) + "\n";
    std::string error;
    auto parsed = parse(std::string(minimal_config) + line, &error);
    EXPECT_FALSE(parsed.has_value()) << line;
    std::string name = line.substr(0, line.find(' '));
    EXPECT_NE(error.find(name), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace gateway

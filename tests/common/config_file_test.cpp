#include "gateway/common/config_file.hpp"

#include <gtest/gtest.h>

namespace gateway {
namespace {

TEST(ConfigFile, ParsesKeysCommentsAndLists) {
  std::string error;
  auto config = config_file::parse(
      "# comment\n"
      "; another\n"
      "\n"
      "plugin.choria.middleware_hosts = nats://a:4222, nats://b:4222 ,\n"
      "gateway.listen=127.0.0.1:8080\n"
      "gateway.listen = 127.0.0.1:9090\n",
      &error);
  ASSERT_TRUE(config.has_value()) << error;
  EXPECT_EQ(config->get("gateway.listen"), "127.0.0.1:9090");
  auto hosts = config->get_list("plugin.choria.middleware_hosts");
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_EQ(hosts[1], "nats://b:4222");
  EXPECT_EQ(config->get("missing", "fallback"), "fallback");
}

TEST(ConfigFile, RejectsLineWithoutEquals) {
  std::string error;
  auto config = config_file::parse("a = 1\njust words\n", &error);
  EXPECT_FALSE(config.has_value());
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
}

TEST(ConfigFile, TypedGettersNameTheKey) {
  std::string error;
  auto config = config_file::parse("n = 12\nbad = 1x\nflag = yes\n", &error);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->get_integer("n", 0, &error), 12);
  EXPECT_EQ(config->get_integer("absent", 7, &error), 7);
  EXPECT_FALSE(config->get_integer("bad", 0, &error).has_value());
  EXPECT_NE(error.find("bad"), std::string::npos);
  EXPECT_EQ(config->get_bool("flag", false, &error), true);
  EXPECT_FALSE(config->get_bool("n", false, &error).has_value());
}

}  // namespace
}  // namespace gateway

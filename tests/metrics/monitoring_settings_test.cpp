#include "gateway/server/monitoring_settings.hpp"

#include <gtest/gtest.h>

namespace gateway {
namespace {

config_file with(
    std::initializer_list<std::pair<std::string, std::string>> entries) {
  config_file config;
  for (const auto& [key, value] : entries) config.set(key, value);
  return config;
}

TEST(MonitoringSettings, Defaults) {
  monitoring_settings out;
  std::string error;
  ASSERT_TRUE(monitoring_settings::read(with({}), out, &error)) << error;
  EXPECT_FALSE(out.metrics_address);
  EXPECT_TRUE(out.metrics_on_main_listener);
  EXPECT_EQ(out.log_format, "text");
  EXPECT_TRUE(out.component_levels.empty());
}

TEST(MonitoringSettings, ReadsEveryKey) {
  monitoring_settings out;
  std::string error;
  ASSERT_TRUE(monitoring_settings::read(
      with({{"gateway.metrics.listen", "[::1]:9464"},
            {"gateway.metrics.main_listener", "false"},
            {"gateway.log.format", "json"},
            {"gateway.log.level.broker", "debug"}}),
      out, &error))
      << error;
  ASSERT_TRUE(out.metrics_address);
  EXPECT_EQ(*out.metrics_address, "::1");
  EXPECT_EQ(out.metrics_port, 9464);
  EXPECT_FALSE(out.metrics_on_main_listener);
  EXPECT_EQ(out.log_format, "json");
  EXPECT_EQ(out.component_levels.at("broker"), "debug");
}

TEST(MonitoringSettings, RejectsInvalidValues) {
  const std::pair<std::string, std::string> cases[] = {
      {"gateway.metrics.listen", "9464"},
      {"gateway.metrics.listen", "127.0.0.1:port"},
      {"gateway.metrics.listen", "127.0.0.1:70000"},
      {"gateway.metrics.main_listener", "maybe"},
      {"gateway.log.format", "xml"},
      {"gateway.log.level.broker", "loud"},
      {"gateway.log.level.Broker-Link", "debug"},
  };
  for (const auto& [key, value] : cases) {
    monitoring_settings out;
    std::string error;
    EXPECT_FALSE(monitoring_settings::read(with({{key, value}}), out, &error))
        << key << " = " << value;
    EXPECT_NE(error.find(key), std::string::npos) << error;
  }
}

TEST(MonitoringSettings, KnowsItsKeys) {
  EXPECT_TRUE(monitoring_settings::is_monitoring_key("gateway.log.format"));
  EXPECT_TRUE(monitoring_settings::is_monitoring_key("gateway.log.level.http"));
  EXPECT_TRUE(monitoring_settings::is_monitoring_key("gateway.metrics.listen"));
  EXPECT_FALSE(monitoring_settings::is_monitoring_key("gateway.log.sync"));
  EXPECT_FALSE(monitoring_settings::is_monitoring_key("gateway.metrics"));
}

}  // namespace
}  // namespace gateway

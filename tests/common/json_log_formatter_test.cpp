#include "gateway/common/json_log_formatter.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <nlohmann/json.hpp>

namespace gateway {
namespace {

const std::string request_id = "0123456789abcdef0123456789abcdef";

// Logs message through a logger named component with the JSON formatter
// and returns the line parsed.
nlohmann::json log_line(const std::string& component,
                        const std::string& message) {
  std::ostringstream stream;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream);
  spdlog::logger logger(component, sink);
  logger.set_formatter(std::make_unique<json_log_formatter>());
  logger.warn("{}", message);
  logger.flush();
  auto text = stream.str();
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1) << text;
  return nlohmann::json::parse(text, nullptr, false);
}

TEST(JsonLogFormatter, WritesOneObjectPerLine) {
  auto line = log_line("broker", "connected to the broker");
  ASSERT_FALSE(line.is_discarded());
  EXPECT_EQ(line["level"], "warning");
  EXPECT_EQ(line["component"], "broker");
  EXPECT_EQ(line["message"], "connected to the broker");
  EXPECT_FALSE(line.contains("request_id"));
  auto time = line["time"].get<std::string>();
  EXPECT_EQ(time.size(), 24u) << time;
  EXPECT_EQ(time.back(), 'Z') << time;
}

TEST(JsonLogFormatter, AddsRequestId) {
  auto line = log_line("collector", "request " + request_id + " expired: 3");
  ASSERT_FALSE(line.is_discarded());
  EXPECT_EQ(line["request_id"], request_id);
}

TEST(JsonLogFormatter, EscapesQuotesAndInvalidUtf8) {
  auto line = log_line("auth", "user \"x\"\n\xff");
  ASSERT_FALSE(line.is_discarded());
  EXPECT_EQ(line["message"], "user \"x\"\n\xEF\xBF\xBD");
}

TEST(FindRequestId, NeedsMarkerAndWholeId) {
  EXPECT_EQ(find_request_id("request " + request_id), request_id);
  EXPECT_EQ(find_request_id("ended request " + request_id + ", 3 nodes"),
            request_id);
  EXPECT_EQ(find_request_id(request_id), "");
  EXPECT_EQ(find_request_id("request " + request_id + "ff"), "");
  EXPECT_EQ(find_request_id("request " + request_id.substr(1)), "");
  EXPECT_EQ(find_request_id("request ABCDEF0123456789abcdef0123456789"), "");
}

}  // namespace
}  // namespace gateway

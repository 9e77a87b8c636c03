#include "gateway/http/message.hpp"
#include "gateway/http/event_stream.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace gateway::http {
namespace {

TEST(ErrorResponse, BuildsJsonErrorBody) {
  auto answer = error_response(404, "not_found", "no such request");
  EXPECT_EQ(answer.status, 404u);
  EXPECT_EQ(answer.content_type, "application/json");
  auto body = nlohmann::json::parse(answer.body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << answer.body;
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_EQ(body["error"]["message"], "no such request");
}

TEST(ErrorResponse, ReplacesInvalidUtf8) {
  auto answer = error_response(400, "bad", "byte \xFF here");
  auto body = nlohmann::json::parse(answer.body, nullptr, false);
  EXPECT_FALSE(body.is_discarded()) << answer.body;
}

TEST(FormatEvent, WritesEventDataAndId) {
  EXPECT_EQ(format_event("reply", "{\"a\":1}", "7"),
            "event: reply\ndata: {\"a\":1}\nid: 7\n\n");
}

TEST(FormatEvent, OmitsEmptyEventAndId) {
  EXPECT_EQ(format_event("", "x"), "data: x\n\n");
  EXPECT_EQ(format_event("", ""), "data: \n\n");
}

TEST(FormatEvent, SplitsDataLines) {
  EXPECT_EQ(format_event("", "a\nb\r\nc\rd"),
            "data: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(format_event("", "a\n"), "data: a\n\n");
  EXPECT_EQ(format_event("", "a\n\nb"), "data: a\ndata: \ndata: b\n\n");
}

TEST(FormatEvent, KeepsEventAndIdOnOneLine) {
  EXPECT_EQ(format_event("a\nb", "x", "1\r2"),
            "event: a b\ndata: x\nid: 1 2\n\n");
}

}  // namespace
}  // namespace gateway::http

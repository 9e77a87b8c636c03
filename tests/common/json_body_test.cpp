#include "gateway/common/json_body.hpp"

#include <string>

#include <gtest/gtest.h>

namespace gateway {
namespace {

using json = nlohmann::json;

// Returns the error of parsing text, or "" when it parsed.
std::string error_of(std::string_view text) {
  std::string error;
  auto parsed = parse_json_body(text, &error);
  if (parsed) return "";
  EXPECT_FALSE(error.empty()) << text;
  return error;
}

TEST(JsonBody, ParsesLikeNlohmann) {
  const std::string text =
      R"({"a": [1, -2, 3.5, "x", null, true, {"b": {}}], "c": {"d": []},
          "e": 18446744073709551615})";
  std::string error;
  auto parsed = parse_json_body(text, &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(*parsed, json::parse(text));
}

TEST(JsonBody, ParsesScalarDocuments) {
  std::string error;
  auto number = parse_json_body(" 42 ", &error);
  ASSERT_TRUE(number) << error;
  EXPECT_EQ(*number, 42);
  auto text = parse_json_body(R"("é")", &error);
  ASSERT_TRUE(text) << error;
  EXPECT_EQ(*text, "é");
}

TEST(JsonBody, EmptyBodyIsNamed) {
  EXPECT_EQ(error_of(""), "the body is empty; it must be a JSON document");
  EXPECT_EQ(error_of(" \r\n"), "the body is empty; it must be a JSON document");
}

TEST(JsonBody, InvalidUtf8GivesOffset) {
  EXPECT_EQ(error_of("{\"a\": \"\xff\"}"),
            "the body is not valid JSON: invalid UTF-8 at byte offset 7");
  // An overlong form of '/' and a UTF-16 surrogate are not UTF-8 either.
  EXPECT_EQ(error_of("{\"a\": \"\xc0\xaf\"}"),
            "the body is not valid JSON: invalid UTF-8 at byte offset 7");
  EXPECT_EQ(error_of("[\"\xed\xa0\x80\"]"),
            "the body is not valid JSON: invalid UTF-8 at byte offset 2");
  // A sequence cut off by the end of the text.
  EXPECT_EQ(error_of("\"\xe2\x82"),
            "the body is not valid JSON: invalid UTF-8 at byte offset 1");
}

TEST(JsonBody, FirstInvalidUtf8) {
  EXPECT_FALSE(first_invalid_utf8("plain ascii"));
  EXPECT_FALSE(first_invalid_utf8("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(first_invalid_utf8("\xf4\x8f\xbf\xbf"));   // U+10FFFF
  EXPECT_EQ(first_invalid_utf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("ab\x80"), 2u);            // lone continuation
  EXPECT_EQ(first_invalid_utf8("a\xc3("), 1u);        // missing continuation
  EXPECT_EQ(first_invalid_utf8("\xe0\x80\x80"), 0u);  // overlong
  EXPECT_EQ(first_invalid_utf8("\xf5\x80\x80\x80"), 0u);  // no such lead byte
}

TEST(JsonBody, NumberOutOfRangeNamesField) {
  EXPECT_EQ(error_of(R"({"data": {"count": 1e400}})"),
            "data.count: the number 1e400 is out of range; JSON numbers must "
            "fit in a 64-bit floating-point value");
  EXPECT_EQ(error_of(R"({"nodes": ["a", -1e999]})"),
            "nodes[1]: the number -1e999 is out of range; JSON numbers must "
            "fit in a 64-bit floating-point value");
  EXPECT_EQ(error_of("1e400"),
            "the body: the number 1e400 is out of range; JSON numbers must "
            "fit in a 64-bit floating-point value");
}

TEST(JsonBody, DuplicateKeyNamesPath) {
  EXPECT_EQ(error_of(R"({"agent": "a", "agent": "b"})"),
            "agent: duplicate key; a key may appear only once in an object");
  EXPECT_EQ(
      error_of(R"({"filter": {"fact": [{"fact": "a", "value": 1},
                                       {"fact": "b", "fact": "c"}]}})"),
      "filter.fact[1].fact: duplicate key; a key may appear only once in an "
      "object");
  // The same key in two objects is fine.
  EXPECT_EQ(error_of(R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}}])"), "");
}

TEST(JsonBody, DuplicateLongKeyIsShortened) {
  const std::string key(200, 'k');
  const auto error = error_of("{\"" + key + "\": 1, \"" + key + "\": 2}");
  EXPECT_EQ(error, std::string(64, 'k') +
                       "...: duplicate key; a key may appear only once in an "
                       "object");
}

TEST(JsonBody, SyntaxErrorIsDescribed) {
  const auto error = error_of(R"({"a": 1,})");
  EXPECT_EQ(error.rfind("the body is not valid JSON: parse error at line 1, "
                        "column 9",
                        0),
            0u)
      << error;
  EXPECT_EQ(error.find("json.exception"), std::string::npos) << error;
  EXPECT_NE(error_of(R"({"a": 1} x)"), "");
  EXPECT_NE(error_of("[1, 2"), "");
}

TEST(JsonBody, DeepNestingIsRejected) {
  const std::string deep = std::string(65, '[') + std::string(65, ']');
  EXPECT_EQ(error_of(deep),
            "the body nests arrays and objects deeper than 64 levels");
  const std::string shallow = std::string(64, '[') + std::string(64, ']');
  EXPECT_EQ(error_of(shallow), "");
}

}  // namespace
}  // namespace gateway

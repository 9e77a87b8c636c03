#include "gateway/common/json_limits.hpp"

#include <string>

#include <gtest/gtest.h>

namespace gateway {
namespace {

TEST(JsonNesting, CountsArraysAndObjects) {
  EXPECT_FALSE(json_nesting_exceeds(R"({"a":[1,{"b":2}]})", 3));
  EXPECT_TRUE(json_nesting_exceeds(R"({"a":[1,{"b":[2]}]})", 3));
}

TEST(JsonNesting, IgnoresBracketsInStrings) {
  EXPECT_FALSE(json_nesting_exceeds(R"({"a":"[[[[{{{{\"[["})", 1));
}

TEST(JsonNesting, DeepBodyIsRejected) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_TRUE(json_nesting_exceeds(deep, max_json_depth));
  std::string shallow = std::string(64, '[') + std::string(64, ']');
  EXPECT_FALSE(json_nesting_exceeds(shallow, max_json_depth));
}

}  // namespace
}  // namespace gateway

#include "gateway/common/log_text.hpp"

namespace gateway {
namespace {

TEST(LogSafe, EscapesControlCharacters) {
  EXPECT_EQ(log_safe("alice"), "alice");
  EXPECT_EQ(log_safe("x\n[info] root"), "x\\x0a[info] root");
  EXPECT_EQ(log_safe(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(log_safe("back\\slash"), "back\\x5cslash");
}

TEST(LogSafe, CutsLongText) {
  EXPECT_EQ(log_safe(std::string(100, 'a'), 8), "aaaaaaaa...");
}

}  // namespace
}  // namespace gateway

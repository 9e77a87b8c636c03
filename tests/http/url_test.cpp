#include "gateway/http/url.hpp"

#include <gtest/gtest.h>

namespace gateway::http {
namespace {

TEST(PercentDecode, DecodesEscapes) {
  EXPECT_EQ(percent_decode("/a%20b/%C3%A9", false), "/a b/\xC3\xA9");
  EXPECT_EQ(percent_decode("%2f%2F", false), "//");
}

TEST(PercentDecode, PlusIsSpaceOnlyInQueries) {
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a%2Bb", true), "a+b");
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  EXPECT_FALSE(percent_decode("%", false));
  EXPECT_FALSE(percent_decode("%2", false));
  EXPECT_FALSE(percent_decode("a%zz", false));
  EXPECT_FALSE(percent_decode("a%2g", false));
}

TEST(PercentDecode, RejectsNulByte) {
  EXPECT_FALSE(percent_decode("a%00b", false));
}

TEST(ParseQuery, SplitsAndDecodesPairs) {
  auto query = parse_query("a=1&b=two%20words&c=x+y&flag&&d=");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->size(), 5u);
  EXPECT_EQ(query->at("a"), "1");
  EXPECT_EQ(query->at("b"), "two words");
  EXPECT_EQ(query->at("c"), "x y");
  EXPECT_EQ(query->at("flag"), "");
  EXPECT_EQ(query->at("d"), "");
}

TEST(ParseQuery, FirstRepeatedKeyWins) {
  auto query = parse_query("a=1&a=2");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->at("a"), "1");
}

TEST(ParseQuery, ReportsRepeatedKeys) {
  std::set<std::string> repeated;
  auto query = parse_query("a=1&b=2&a=3&%61=4&c&c", &repeated);
  ASSERT_TRUE(query);
  EXPECT_EQ(repeated, (std::set<std::string>{"a", "c"}));
}

TEST(ParseQuery, EmptyQueryHasNoPairs) {
  auto query = parse_query("");
  ASSERT_TRUE(query);
  EXPECT_TRUE(query->empty());
}

TEST(ParseQuery, RejectsMalformedEscape) {
  EXPECT_FALSE(parse_query("a=%zz"));
  EXPECT_FALSE(parse_query("%=1"));
}

}  // namespace
}  // namespace gateway::http

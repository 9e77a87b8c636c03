#include "gateway/sim/filter_matcher.hpp"

#include <gtest/gtest.h>

namespace gateway::sim {
namespace {

using choria::fact_filter;
using choria::filter;

node_profile web_node() {
  node_profile node;
  node.index = 1;
  node.identity = "web1.example.net";
  node.facts = nlohmann::json::parse(R"({
    "country": "mt", "cpu_count": 4, "load": 0.5, "virtual": true,
    "version": "10", "os": {"release": {"major": "12"}},
    "disks": [{"size": 100}], "nothing": null})");
  node.classes = {"base", "role::web"};
  node.agents = {"discovery", "rpcutil", "sim_test"};
  return node;
}

bool fact_matches(const std::string& fact, const std::string& op,
                  const std::string& value) {
  filter target;
  target.fact.push_back(fact_filter{fact, op, value});
  return filter_matcher(target).matches(web_node());
}

TEST(FilterMatcher, EmptyFilterMatchesEveryNode) {
  EXPECT_TRUE(filter_matcher(filter{}).matches(web_node()));
}

TEST(FilterMatcher, PlainIdentityMustBeEqual) {
  filter target;
  target.identity = {"web1.example.net"};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
  target.identity = {"web1"};
  EXPECT_FALSE(filter_matcher(target).matches(web_node()));
  // A dot in a plain name is not a regex wildcard.
  target.identity = {"web1xexample.net"};
  EXPECT_FALSE(filter_matcher(target).matches(web_node()));
}

TEST(FilterMatcher, RegexIdentityIsSearched) {
  filter target;
  target.identity = {"/^web\\d+\\./"};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
  target.identity = {"/example/"};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
  target.identity = {"/^db/"};
  EXPECT_FALSE(filter_matcher(target).matches(web_node()));
}

TEST(FilterMatcher, InvalidRegexMatchesNothing) {
  filter target;
  target.identity = {"/web(/"};
  EXPECT_FALSE(filter_matcher(target).matches(web_node()));
  target.identity = {"/web(/", "web1.example.net"};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
}

TEST(FilterMatcher, IdentitiesAreOred) {
  filter target;
  target.identity = {"db1.example.net", "web1.example.net"};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
  target.identity = {"db1.example.net", "/^db/"};
  EXPECT_FALSE(filter_matcher(target).matches(web_node()));
}

TEST(FilterMatcher, EveryClassMustBePresent) {
  filter target;
  target.cf_class = {"base"};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
  target.cf_class = {"base", "role::web"};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
  target.cf_class = {"base", "role::db"};
  EXPECT_FALSE(filter_matcher(target).matches(web_node()));
  target.cf_class = {"/^role::/"};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
  target.cf_class = {"role"};
  EXPECT_FALSE(filter_matcher(target).matches(web_node()));
}

TEST(FilterMatcher, EveryAgentMustBePresent) {
  filter target;
  target.agent = {"rpcutil"};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
  target.agent = {"rpcutil", "sim_test"};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
  target.agent = {"rpcutil", "package"};
  EXPECT_FALSE(filter_matcher(target).matches(web_node()));
  target.agent = {"/^sim_/"};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
}

TEST(FilterMatcher, FactEquality) {
  EXPECT_TRUE(fact_matches("country", "==", "mt"));
  EXPECT_FALSE(fact_matches("country", "==", "MT"));
  EXPECT_FALSE(fact_matches("country", "==", "de"));
  EXPECT_TRUE(fact_matches("cpu_count", "==", "4"));
  EXPECT_TRUE(fact_matches("cpu_count", "==", "4.0"));
  EXPECT_TRUE(fact_matches("load", "==", "0.5"));
  EXPECT_TRUE(fact_matches("virtual", "==", "true"));
  EXPECT_TRUE(fact_matches("virtual", "==", "TRUE"));
  EXPECT_FALSE(fact_matches("virtual", "==", "false"));
}

TEST(FilterMatcher, FactInequality) {
  EXPECT_TRUE(fact_matches("country", "!=", "de"));
  EXPECT_FALSE(fact_matches("country", "!=", "mt"));
  EXPECT_TRUE(fact_matches("cpu_count", "!=", "8"));
  EXPECT_FALSE(fact_matches("cpu_count", "!=", "4"));
  EXPECT_TRUE(fact_matches("virtual", "!=", "false"));
  EXPECT_FALSE(fact_matches("virtual", "!=", "true"));
}

TEST(FilterMatcher, FactOrderIsNumericForNumbers) {
  EXPECT_TRUE(fact_matches("cpu_count", ">", "3"));
  EXPECT_FALSE(fact_matches("cpu_count", ">", "4"));
  EXPECT_TRUE(fact_matches("cpu_count", ">=", "4"));
  EXPECT_FALSE(fact_matches("cpu_count", ">=", "5"));
  EXPECT_TRUE(fact_matches("cpu_count", "<", "10"));
  EXPECT_FALSE(fact_matches("cpu_count", "<", "4"));
  EXPECT_TRUE(fact_matches("cpu_count", "<=", "4"));
  EXPECT_FALSE(fact_matches("cpu_count", "<=", "3.5"));
  EXPECT_TRUE(fact_matches("load", "<", "0.75"));
  // "10" > "9" as numbers although not as text; the fact is a string here.
  EXPECT_TRUE(fact_matches("version", ">", "9"));
}

TEST(FilterMatcher, FactOrderIsTextualOtherwise) {
  EXPECT_TRUE(fact_matches("country", ">", "de"));
  EXPECT_TRUE(fact_matches("country", "<", "us"));
  EXPECT_TRUE(fact_matches("country", ">=", "mt"));
  EXPECT_TRUE(fact_matches("country", "<=", "mt"));
  EXPECT_FALSE(fact_matches("country", "<", "de"));
  // A number fact against a non-number value compares as text.
  EXPECT_TRUE(fact_matches("cpu_count", "<", "x"));
}

TEST(FilterMatcher, FactRegex) {
  EXPECT_TRUE(fact_matches("country", "=~", "^m"));
  EXPECT_TRUE(fact_matches("country", "=~", "/^m/"));
  EXPECT_FALSE(fact_matches("country", "=~", "^d"));
  EXPECT_TRUE(fact_matches("cpu_count", "=~", "^4$"));
  EXPECT_FALSE(fact_matches("country", "=~", "(["));
}

TEST(FilterMatcher, NestedFactsByDottedPath) {
  EXPECT_TRUE(fact_matches("os.release.major", "==", "12"));
  EXPECT_TRUE(fact_matches("disks.0.size", ">=", "100"));
  EXPECT_FALSE(fact_matches("disks.1.size", ">=", "100"));
}

TEST(FilterMatcher, AbsentOrStructuredFactMatchesNoOperator) {
  for (const char* op : {"==", "!=", "<", ">", "<=", ">=", "=~"}) {
    EXPECT_FALSE(fact_matches("missing", op, "x")) << op;
    EXPECT_FALSE(fact_matches("os", op, "x")) << op;
    EXPECT_FALSE(fact_matches("nothing", op, "x")) << op;
  }
}

TEST(FilterMatcher, EveryFactMustMatch) {
  filter target;
  target.fact = {{"country", "==", "mt"}, {"cpu_count", ">=", "4"}};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));
  target.fact.push_back({"cpu_count", ">", "4"});
  EXPECT_FALSE(filter_matcher(target).matches(web_node()));
}

TEST(FilterMatcher, KindsAreAnded) {
  filter target;
  target.identity = {"/^web/"};
  target.cf_class = {"role::web"};
  target.agent = {"rpcutil"};
  target.fact = {{"country", "==", "mt"}};
  EXPECT_TRUE(filter_matcher(target).matches(web_node()));

  auto wrong_class = target;
  wrong_class.cf_class = {"role::db"};
  EXPECT_FALSE(filter_matcher(wrong_class).matches(web_node()));
  auto wrong_fact = target;
  wrong_fact.fact = {{"country", "==", "de"}};
  EXPECT_FALSE(filter_matcher(wrong_fact).matches(web_node()));
  auto wrong_identity = target;
  wrong_identity.identity = {"/^db/"};
  EXPECT_FALSE(filter_matcher(wrong_identity).matches(web_node()));
  auto wrong_agent = target;
  wrong_agent.agent = {"package"};
  EXPECT_FALSE(filter_matcher(wrong_agent).matches(web_node()));
}

TEST(FilterMatcher, CompoundIsUnsupported) {
  filter target;
  target.compound = nlohmann::json::parse(R"([[{"expr": "country=mt"}]])");
  filter_matcher matcher(target);
  EXPECT_FALSE(matcher.supported());
  EXPECT_FALSE(matcher.matches(web_node()));
  EXPECT_TRUE(filter_matcher(filter{}).supported());
}

TEST(NamePattern, PlainAndRegex) {
  EXPECT_TRUE(name_pattern("a.b").matches("a.b"));
  EXPECT_FALSE(name_pattern("a.b").matches("axb"));
  EXPECT_TRUE(name_pattern("/a.b/").matches("xaxbx"));
  EXPECT_FALSE(name_pattern("/").matches("a"));
  EXPECT_TRUE(name_pattern("/").matches("/"));
}

}  // namespace
}  // namespace gateway::sim

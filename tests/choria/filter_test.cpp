#include <gtest/gtest.h>

#include "gateway/choria/protocol.hpp"

namespace gateway::choria {
namespace {

TEST(Filter, EmptyFilterSendsEveryList) {
  auto json = filter_to_json({});
  for (const char* key :
       {"fact", "cf_class", "agent", "identity", "compound"}) {
    ASSERT_TRUE(json.contains(key)) << key;
    EXPECT_TRUE(json[key].is_array()) << key;
    EXPECT_TRUE(json[key].empty()) << key;
  }
  EXPECT_TRUE(filter{}.empty());
}

TEST(Filter, RoundTrips) {
  filter original;
  original.identity = {"web1", "/^db\\d+/"};
  original.cf_class = {"apache"};
  original.agent = {"rpcutil"};
  original.fact = {{"country", "==", "mt"}, {"cpus", ">=", "4"}};
  std::string error;
  auto parsed = filter_from_json(filter_to_json(original), &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->identity, original.identity);
  EXPECT_EQ(parsed->cf_class, original.cf_class);
  EXPECT_EQ(parsed->agent, original.agent);
  ASSERT_EQ(parsed->fact.size(), 2u);
  EXPECT_EQ(parsed->fact[1].fact, "cpus");
  EXPECT_EQ(parsed->fact[1].op, ">=");
  EXPECT_EQ(parsed->fact[1].value, "4");
  EXPECT_FALSE(parsed->empty());
}

TEST(Filter, MissingListsAreEmpty) {
  std::string error;
  auto parsed = filter_from_json(nlohmann::json::object(), &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_TRUE(parsed->empty());
  auto from_null = filter_from_json(nullptr, &error);
  ASSERT_TRUE(from_null.has_value()) << error;
  EXPECT_TRUE(from_null->empty());
}

TEST(Filter, KeepsCompoundAsSent) {
  nlohmann::json compound = {{{{"expr", "with('apache')"}}}};
  std::string error;
  auto parsed = filter_from_json({{"compound", compound}}, &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->compound, compound);
}

struct filter_error_case {
  nlohmann::json input;
  std::string expected_error;
};

TEST(Filter, ErrorsNameTheField) {
  const std::vector<filter_error_case> cases = {
      {"text", "filter must be an object"},
      {{{"identity", "web1"}}, "filter.identity must be a list of strings"},
      {{{"cf_class", {1}}}, "filter.cf_class[0] must be a string"},
      {{{"agent", {"a", nullptr}}}, "filter.agent[1] must be a string"},
      {{{"fact", "x"}}, "filter.fact must be a list of objects"},
      {{{"fact", {"x"}}},
       "filter.fact[0] must be an object with fact, operator and value"},
      {{{"fact", {{{"operator", "=="}, {"value", "1"}}}}},
       "filter.fact[0].fact must be a non-empty string"},
      {{{"fact",
         {{{"fact", "a"}, {"operator", "=="}, {"value", "1"}},
          {{"fact", "a"}, {"operator", "<>"}, {"value", "1"}}}}},
       "filter.fact[1].operator must be one of >= <= < > != == =~"},
      {{{"fact", {{{"fact", "a"}, {"operator", "=="}, {"value", ""}}}}},
       "filter.fact[0].value must be a non-empty string"},
      {{{"compound", "x"}}, "filter.compound must be a list"},
  };
  for (const auto& test_case : cases) {
    std::string error;
    EXPECT_FALSE(filter_from_json(test_case.input, &error).has_value())
        << test_case.input.dump();
    EXPECT_EQ(error, test_case.expected_error) << test_case.input.dump();
  }
}

}  // namespace
}  // namespace gateway::choria

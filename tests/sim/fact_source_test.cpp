#include "gateway/sim/fact_source.hpp"

#include <gtest/gtest.h>

#include "gateway/sim/node_profile.hpp"
#include "gateway/sim/node_set.hpp"
#include "test_support.hpp"

namespace gateway::sim {
namespace {

TEST(FormatIdentity, DefaultFormat) {
  std::string error;
  auto identity = format_identity("node-{index}.example.net", 7, &error);
  ASSERT_TRUE(identity) << error;
  EXPECT_EQ(*identity, "node-7.example.net");
}

TEST(FormatIdentity, ZeroPadded) {
  std::string error;
  auto identity = format_identity("node-{index:04}.example.net", 7, &error);
  ASSERT_TRUE(identity) << error;
  EXPECT_EQ(*identity, "node-0007.example.net");
}

TEST(FormatIdentity, RejectsInvalidFormat) {
  std::string error;
  EXPECT_FALSE(format_identity("node-{index", 1, &error));
  EXPECT_NE(error.find("--name-format"), std::string::npos) << error;
  EXPECT_FALSE(format_identity("node-{count}", 1, &error));
}

TEST(FormatIdentity, RejectsInvalidSubjects) {
  std::string error;
  EXPECT_FALSE(format_identity("node {index}", 1, &error));
  EXPECT_FALSE(format_identity("node-{index}.*", 1, &error));
  EXPECT_FALSE(format_identity("node..{index}", 1, &error));
  EXPECT_FALSE(format_identity(".node{index}", 1, &error));
  EXPECT_FALSE(format_identity("node>{index}", 1, &error));
}

TEST(GenerateFacts, CyclesCountryRoleAndCpuCount) {
  struct expected_facts {
    std::size_t index;
    const char* country;
    const char* role;
    int cpu_count;
  };
  for (auto row :
       {expected_facts{1, "mt", "web", 2}, expected_facts{2, "de", "db", 4},
        expected_facts{3, "us", "web", 8}, expected_facts{4, "mt", "db", 2}}) {
    auto generated = generate_facts(row.index, "n");
    EXPECT_EQ(generated.facts["country"], row.country) << row.index;
    EXPECT_EQ(generated.facts["role"], row.role) << row.index;
    EXPECT_EQ(generated.facts["cpu_count"], row.cpu_count) << row.index;
    EXPECT_EQ(generated.facts["index"], row.index) << row.index;
    EXPECT_EQ(generated.facts["fqdn"], "n") << row.index;
    std::vector<std::string> classes{"base", std::string("role::") + row.role};
    EXPECT_EQ(generated.classes, classes) << row.index;
  }
}

constexpr const char* sample_file = R"({
  "*": {"facts": {"country": "mt", "tier": "gold"}, "classes": ["base"]},
  "node-1.example.net": {"facts": {"country": "de"},
                         "classes": ["special"]},
  "node-2.example.net": {"facts": {"rack": 7}}
})";

TEST(FactsFile, MergesNodeFactsOverDefaults) {
  std::string error;
  auto file = facts_file::parse(sample_file, &error);
  ASSERT_TRUE(file) << error;

  auto first = file->facts_for("node-1.example.net");
  EXPECT_EQ(first.facts["country"], "de");
  EXPECT_EQ(first.facts["tier"], "gold");
  EXPECT_EQ(first.classes, std::vector<std::string>{"special"});

  auto second = file->facts_for("node-2.example.net");
  EXPECT_EQ(second.facts["country"], "mt");
  EXPECT_EQ(second.facts["rack"], 7);
  EXPECT_EQ(second.classes, std::vector<std::string>{"base"});
}

TEST(FactsFile, UnlistedNodeGetsDefaults) {
  std::string error;
  auto file = facts_file::parse(sample_file, &error);
  ASSERT_TRUE(file) << error;
  auto other = file->facts_for("node-9.example.net");
  EXPECT_EQ(other.facts,
            nlohmann::json::parse(R"({"country": "mt", "tier": "gold"})"));
  EXPECT_EQ(other.classes, std::vector<std::string>{"base"});
}

TEST(FactsFile, RejectsWrongTypes) {
  std::string error;
  EXPECT_FALSE(facts_file::parse("[]", &error));
  EXPECT_FALSE(facts_file::parse("{", &error));
  EXPECT_FALSE(facts_file::parse(R"({"a": 1})", &error));
  EXPECT_NE(error.find("\"a\""), std::string::npos) << error;
  EXPECT_FALSE(facts_file::parse(R"({"a": {"facts": []}})", &error));
  EXPECT_NE(error.find("facts"), std::string::npos) << error;
  EXPECT_FALSE(facts_file::parse(R"({"a": {"classes": "x"}})", &error));
  EXPECT_FALSE(facts_file::parse(R"({"a": {"classes": [1]}})", &error));
  EXPECT_NE(error.find("classes"), std::string::npos) << error;
}

TEST(FactsFile, LoadNamesMissingFile) {
  std::string error;
  EXPECT_FALSE(facts_file::load("/nonexistent/facts.json", &error));
  EXPECT_NE(error.find("/nonexistent/facts.json"), std::string::npos);
}

TEST(FindFact, TopLevelKeyWinsOverPath) {
  auto facts = nlohmann::json::parse(
      R"({"a.b": 1, "a": {"b": 2, "c": [10, {"d": 3}]}})");
  ASSERT_NE(find_fact(facts, "a.b"), nullptr);
  EXPECT_EQ(*find_fact(facts, "a.b"), 1);
  ASSERT_NE(find_fact(facts, "a.c.1.d"), nullptr);
  EXPECT_EQ(*find_fact(facts, "a.c.1.d"), 3);
  EXPECT_EQ(find_fact(facts, "a.c.2"), nullptr);
  EXPECT_EQ(find_fact(facts, "a.x"), nullptr);
  EXPECT_EQ(find_fact(facts, ""), nullptr);
}

TEST(SilentValues, SplitsListsButNotRegexes) {
  auto patterns = split_silent_values({"a, b,,c", "/^node-{1,3}$/"});
  std::vector<std::string> expected{"a", "b", "c", "/^node-{1,3}$/"};
  EXPECT_EQ(patterns, expected);
}

TEST(NodeSet, BuildsGeneratedNodes) {
  fleet_options options;
  options.count = 3;
  options.silent = {"node-2.example.net"};
  std::string error;
  auto nodes = node_set::create(options, &error);
  ASSERT_TRUE(nodes) << error;
  ASSERT_EQ(nodes->nodes().size(), 3u);
  EXPECT_EQ(nodes->nodes()[2].identity, "node-3.example.net");
  EXPECT_EQ(nodes->nodes()[2].facts["country"], "us");
  std::vector<std::string> agents{"discovery", "rpcutil", "sim_test"};
  EXPECT_EQ(nodes->nodes()[0].agents, agents);
  EXPECT_EQ(nodes->find("node-2.example.net"), std::optional<std::size_t>(1));
  EXPECT_FALSE(nodes->find("node-4.example.net"));
  EXPECT_FALSE(nodes->silent(0));
  EXPECT_TRUE(nodes->silent(1));
}

TEST(NodeSet, SilentRegex) {
  fleet_options options;
  options.count = 12;
  options.silent = {"/^node-1\\d\\./"};
  std::string error;
  auto nodes = node_set::create(options, &error);
  ASSERT_TRUE(nodes) << error;
  EXPECT_FALSE(nodes->silent(0));  // node-1
  EXPECT_TRUE(nodes->silent(9));   // node-10
  EXPECT_TRUE(nodes->silent(11));  // node-12
}

TEST(NodeSet, RejectsDuplicateIdentities) {
  fleet_options options;
  options.count = 2;
  options.name_format = "node.example.net";
  std::string error;
  EXPECT_FALSE(node_set::create(options, &error));
  EXPECT_NE(error.find("same identity"), std::string::npos) << error;
}

TEST(NodeSet, LoadsFactsFile) {
  testing::temp_dir folder;
  std::string error;
  ASSERT_TRUE(
      pki::write_file(folder.file("facts.json"), sample_file, 0644, &error))
      << error;
  fleet_options options;
  options.count = 3;
  options.facts_path = folder.file("facts.json");
  auto nodes = node_set::create(options, &error);
  ASSERT_TRUE(nodes) << error;
  EXPECT_EQ(nodes->nodes()[0].facts["country"], "de");
  EXPECT_EQ(nodes->nodes()[1].facts["rack"], 7);
  EXPECT_EQ(nodes->nodes()[2].facts["tier"], "gold");
  EXPECT_FALSE(nodes->nodes()[2].facts.contains("cpu_count"));
}

}  // namespace
}  // namespace gateway::sim

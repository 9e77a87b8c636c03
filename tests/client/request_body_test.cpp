#include "gateway/client/request_body.hpp"

#include <gtest/gtest.h>

namespace gateway::client {
namespace {

using json = nlohmann::json;

TEST(ParseInput, TypesWordsAndIntegers) {
  std::string error;
  EXPECT_EQ(parse_input("force=true", &error)->second, json(true));
  EXPECT_EQ(parse_input("force=false", &error)->second, json(false));
  EXPECT_EQ(parse_input("count=42", &error)->second, json(42));
  EXPECT_EQ(parse_input("offset=-7", &error)->second, json(-7));
  EXPECT_EQ(parse_input("name=web1", &error)->second, json("web1"));
  EXPECT_EQ(parse_input("empty=", &error)->second, json(""));
  EXPECT_EQ(parse_input("expr=a=b", &error)->second, json("a=b"));
}

TEST(ParseInput, ReadsJsonAfterColonEquals) {
  std::string error;
  auto input = parse_input("list:=[1,\"two\"]", &error);
  ASSERT_TRUE(input) << error;
  EXPECT_EQ(input->first, "list");
  EXPECT_EQ(input->second, json::parse("[1,\"two\"]"));
  auto text = parse_input("port:=\"80\"", &error);
  ASSERT_TRUE(text) << error;
  EXPECT_EQ(text->second, json("80"));
}

TEST(ParseInput, RejectsMalformedArguments) {
  for (const char* bad : {"novalue", "=x", ":=1", "list:=[1,"}) {
    std::string error;
    EXPECT_FALSE(parse_input(bad, &error)) << bad;
    EXPECT_NE(error.find(bad), std::string::npos) << error;
  }
}

TEST(ParseFactFilter, ReadsEveryOperator) {
  struct expected_filter {
    const char* argument;
    const char* fact;
    const char* op;
    const char* value;
  };
  for (const auto& row : std::initializer_list<expected_filter>{
           {"country=mt", "country", "==", "mt"},
           {"country==mt", "country", "==", "mt"},
           {"country!=mt", "country", "!=", "mt"},
           {"memory>=4", "memory", ">=", "4"},
           {"memory<=4", "memory", "<=", "4"},
           {"memory>4", "memory", ">", "4"},
           {"memory<4", "memory", "<", "4"},
           {"os=~^deb", "os", "=~", "^deb"},
           {"os=/^deb/", "os", "=~", "^deb"}}) {
    std::string error;
    auto filter = parse_fact_filter(row.argument, &error);
    ASSERT_TRUE(filter) << row.argument << ": " << error;
    EXPECT_EQ((*filter)["fact"], row.fact) << row.argument;
    EXPECT_EQ((*filter)["operator"], row.op) << row.argument;
    EXPECT_EQ((*filter)["value"], row.value) << row.argument;
  }
}

TEST(ParseFactFilter, RejectsMissingParts) {
  for (const char* bad : {"country", "=mt", "country=", "memory>="}) {
    std::string error;
    EXPECT_FALSE(parse_fact_filter(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(ParseNodeList, SkipsCommentsAndBlankLines) {
  auto nodes = parse_node_list("# web tier\nweb1\n\n  web2  \r\n#web3\n");
  EXPECT_EQ(nodes, (std::vector<std::string>{"web1", "web2"}));
}

TEST(MakeRequestBody, OmitsUnsetFields) {
  request_arguments arguments;
  arguments.agent = "rpcutil";
  arguments.action = "ping";
  std::string error;
  auto body = make_request_body(arguments, &error);
  ASSERT_TRUE(body) << error;
  EXPECT_EQ(*body, json::parse(R"({"agent":"rpcutil","action":"ping",
                                   "data":{}})"));
}

TEST(MakeRequestBody, SetsFiltersAndOptions) {
  request_arguments arguments;
  arguments.agent = "puppet";
  arguments.action = "runonce";
  arguments.inputs = {"noop=true", "splay=30"};
  arguments.identity = {"/^web/"};
  arguments.classes = {"apache"};
  arguments.agents = {"puppet"};
  arguments.facts = {"country=mt"};
  arguments.collective = "europe";
  arguments.timeout = 30;
  arguments.discovery_timeout = 3;
  arguments.ttl = 120;
  arguments.batch_size = 10;
  arguments.batch_sleep = 1.5;
  std::string error;
  auto body = make_request_body(arguments, &error);
  ASSERT_TRUE(body) << error;
  EXPECT_EQ((*body)["data"], json::parse(R"({"noop":true,"splay":30})"));
  EXPECT_EQ((*body)["filter"], json::parse(R"({
      "identity":["/^web/"], "cf_class":["apache"], "agent":["puppet"],
      "fact":[{"fact":"country","operator":"==","value":"mt"}]})"));
  EXPECT_EQ((*body)["collective"], "europe");
  EXPECT_EQ((*body)["timeout"], 30);
  EXPECT_EQ((*body)["discovery_timeout"], 3);
  EXPECT_EQ((*body)["ttl"], 120);
  EXPECT_EQ((*body)["batch_size"], 10);
  EXPECT_EQ((*body)["batch_sleep"], 1.5);
  EXPECT_FALSE(body->contains("mode"));
  EXPECT_FALSE(body->contains("nodes"));
}

TEST(MakeRequestBody, SetsNodesAndBroadcast) {
  request_arguments arguments;
  arguments.agent = "rpcutil";
  arguments.action = "ping";
  arguments.nodes = {"web1", "web2"};
  arguments.broadcast = true;
  std::string error;
  auto body = make_request_body(arguments, &error);
  ASSERT_TRUE(body) << error;
  EXPECT_EQ((*body)["nodes"], json::array({"web1", "web2"}));
  EXPECT_EQ((*body)["mode"], "broadcast");
  EXPECT_FALSE(body->contains("filter"));
}

TEST(MakeRequestBody, NamesTheInvalidArgument) {
  request_arguments arguments;
  arguments.agent = "rpcutil";
  arguments.action = "ping";
  arguments.facts = {"country"};
  std::string error;
  EXPECT_FALSE(make_request_body(arguments, &error));
  EXPECT_NE(error.find("country"), std::string::npos) << error;
}

}  // namespace
}  // namespace gateway::client

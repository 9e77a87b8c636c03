#include <gtest/gtest.h>

#include "src/server/api_routes.hpp"

namespace gateway {
namespace {

route_handler noop() {
  return [](const context_ptr&, const http::request&, const route_params&,
            const http::responder&) {};
}

route_table make_table() {
  route_table table;
  table.add("POST", "/v1/requests", noop());
  table.add("GET", "/v1/requests/{id}", noop());
  table.add("GET", "/v1/requests/{id}/replies", noop());
  table.add("GET", "/healthz", noop());
  return table;
}

TEST(RouteTable, MatchesLiteralPath) {
  auto table = make_table();
  auto match = table.find("GET", "/healthz");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->path_template, "/healthz");
  EXPECT_TRUE(match.params.empty());
}

TEST(RouteTable, CapturesPlaceholders) {
  auto table = make_table();
  auto match = table.find("GET", "/v1/requests/abc/replies");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->path_template, "/v1/requests/{id}/replies");
  EXPECT_EQ(match.params, route_params{"abc"});
}

TEST(RouteTable, ListsAllowedMethodsForAKnownPath) {
  auto table = make_table();
  auto match = table.find("DELETE", "/v1/requests");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allowed_methods, std::vector<std::string>{"POST"});
}

TEST(RouteTable, FindsNothingForUnknownPaths) {
  auto table = make_table();
  for (const char* path :
       {"/v1/requests/", "/v1/requests//replies", "/v1/requests/a/b",
        "/healthz/", "", "healthz", "/v1"}) {
    auto match = table.find("GET", path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_TRUE(match.allowed_methods.empty()) << path;
  }
}

TEST(RouteTable, MethodsAreCaseSensitive) {
  auto table = make_table();
  EXPECT_EQ(table.find("get", "/healthz").route, nullptr);
}

}  // namespace
}  // namespace gateway

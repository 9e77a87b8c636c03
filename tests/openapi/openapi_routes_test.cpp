// The route table of the REST API and the paths of docs/openapi.json list
// the same operations, so that no route goes undocumented and the
// document describes no route that does not exist.
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "src/server/api_routes.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;

// "METHOD /path/{template}" for every route the gateway serves. The groups
// are those that make_api_handler adds; a new group belongs here too.
std::set<std::string> served_operations() {
  route_table table;
  add_health_routes(table);
  add_session_routes(table);
  add_auth_routes(table);
  add_request_routes(table);
  add_history_routes(table);
  add_event_routes(table);
  add_openapi_routes(table);
  std::set<std::string> operations;
  for (const auto& route : table.routes())
    operations.insert(route.method + " " + route.path_template);
  return operations;
}

std::set<std::string> documented_operations(const json& document) {
  std::set<std::string> operations;
  for (const auto& [path, item] : document["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters") continue;
      std::string upper;
      for (char c : method) upper.push_back(static_cast<char>(std::toupper(c)));
      operations.insert(upper + " " + path);
    }
  }
  return operations;
}

json load_document() {
  std::ifstream input(OPENAPI_PATH);
  std::stringstream text;
  text << input.rdbuf();
  return json::parse(text.str(), nullptr, false);
}

TEST(OpenApiRoutes, EveryServedRouteIsDocumented) {
  json document = load_document();
  ASSERT_TRUE(document.is_object()) << OPENAPI_PATH << " is not JSON";
  auto documented = documented_operations(document);
  for (const auto& operation : served_operations())
    EXPECT_TRUE(documented.count(operation))
        << operation << " is served but not in " << OPENAPI_PATH;
}

TEST(OpenApiRoutes, EveryDocumentedRouteIsServed) {
  json document = load_document();
  ASSERT_TRUE(document.is_object()) << OPENAPI_PATH << " is not JSON";
  auto served = served_operations();
  for (const auto& operation : documented_operations(document))
    EXPECT_TRUE(served.count(operation))
        << operation << " is in " << OPENAPI_PATH << " but not served";
}

}  // namespace
}  // namespace gateway

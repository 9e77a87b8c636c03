// Real calls to every route of a running gateway, each response body
// checked against the schema that docs/openapi.json gives for its path,
// method and status, so that the description cannot drift from the code.
#include <algorithm>
#include <cctype>
#include <set>

#include <gtest/gtest.h>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "gateway/client/event_stream_parser.hpp"
#include "gateway_stack.hpp"

namespace gateway::openapi_test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using integration::gateway_stack;
using integration::http_call;
using integration::http_result;

// One real call and the path template of the document it exercises.
struct route_call {
  std::string method;
  std::string path;  // as in the document, such as /v1/requests/{id}
  http_call call;
  unsigned expected_status;
};

json load_document() {
  return json::parse(integration::read_text(OPENAPI_PATH), nullptr, false);
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Follows a "#/components/..." reference in document.
const json& resolve(const json& document, const json& node) {
  if (!node.is_object() || !node.contains("$ref")) return node;
  json::json_pointer pointer(node["$ref"].get<std::string>().substr(1));
  return document.at(pointer);
}

// The content object of a response ({media type: {schema, ...}}), empty
// when the response has no body, or null when the document has no such
// response. A 405 is checked against the Error schema, since the
// operation it responds to is the one the document does not have.
json response_content(const json& document, const route_call& route,
                      unsigned status, std::string* error) {
  if (status == 405)
    return {{"application/json",
             {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}};
  auto path = document["paths"].find(route.path);
  if (path == document["paths"].end()) {
    *error = "the document has no path " + route.path;
    return nullptr;
  }
  auto operation = path->find(lowercase(route.method));
  if (operation == path->end()) {
    *error = "the document has no " + route.method + " " + route.path;
    return nullptr;
  }
  const json& responses = (*operation)["responses"];
  auto found = responses.find(std::to_string(status));
  if (found == responses.end()) {
    *error = route.method + " " + route.path + " does not document status " +
             std::to_string(status);
    return nullptr;
  }
  const json& response = resolve(document, *found);
  return response.value("content", json::object());
}

// The JSON schema of a response's JSON body, or null as above.
json response_schema(const json& document, const route_call& route,
                     unsigned status, std::string* error) {
  json content = response_content(document, route, status, error);
  if (content.is_null()) return nullptr;
  if (!content.contains("application/json")) return json::object();
  return content["application/json"]["schema"];
}

// Validates body against schema, whose references point into document.
std::string schema_errors(const json& document, const json& schema,
                          const json& body) {
  json root = {{"components", document["components"]},
               {"allOf", json::array({schema})}};
  try {
    valijson::Schema compiled;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(root);
    parser.populateSchema(schema_adapter, compiled);
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(body);
    if (validator.validate(compiled, target, &results)) return "";
    std::string out;
    valijson::ValidationResults::Error failure;
    while (results.popError(failure)) {
      std::string where;
      for (const auto& part : failure.context) where += part;
      out += "  " + where + ": " + failure.description + "\n";
    }
    return out;
  } catch (const std::exception& failure) {
    return std::string("valijson failed: ") + failure.what();
  }
}

class OpenApiConformance : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    integration::stack_options options;
    options.fleet_size = 3;
    options.users = {{"viewer", "viewer-password", {"rpcutil.ping"}, {}}};
    stack_ = new gateway_stack(options);
    started_ = stack_->start(&start_error_);
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(started_) << start_error_;
    document_ = load_document();
    ASSERT_TRUE(document_.is_object()) << OPENAPI_PATH << " is not JSON";
  }

  // Makes the call, checks its status and its body against the document,
  // and records the operation as covered.
  http_result check(const route_call& route) {
    auto result = stack_->http(route.call);
    covered_.insert(lowercase(route.method) + " " + route.path);
    std::string where = route.method + " " + route.call.target;
    EXPECT_EQ(result.status, route.expected_status)
        << where << ": " << result.body << result.error;
    std::string error;
    json content = response_content(document_, route, result.status, &error);
    EXPECT_TRUE(error.empty()) << where << ": " << error;
    if (!error.empty()) return result;
    if (content.contains("text/event-stream")) {
      check_events(where, content["text/event-stream"], result.body);
      return result;
    }
    json schema = content.contains("application/json")
                      ? content["application/json"]["schema"]
                      : json::object();
    json body = result.json();
    EXPECT_FALSE(body.is_discarded()) << where << ": not JSON: " << result.body;
    EXPECT_EQ(schema_errors(document_, schema, body), "")
        << where << " returned " << result.status << " " << result.body;
    return result;
  }

  // Checks each event of an event stream against the schema that
  // x-event-schemas gives for its name.
  void check_events(const std::string& where, const json& media,
                    const std::string& body) {
    const json& schemas = media["x-event-schemas"];
    int events = 0;
    client::event_stream_parser parser([&](const client::server_event& event) {
      ++events;
      auto schema = schemas.find(event.event);
      EXPECT_NE(schema, schemas.end())
          << where << ": undocumented event " << event.event;
      if (schema == schemas.end()) return true;
      json data = json::parse(event.data, nullptr, false);
      EXPECT_EQ(schema_errors(document_, *schema, data), "")
          << where << " sent event " << event.event << ": " << event.data;
      return true;
    });
    EXPECT_TRUE(parser.feed(body));
    EXPECT_GT(events, 0) << where << " sent no event: " << body;
  }

  static route_call get(std::string path, std::string target, std::string token,
                        unsigned status) {
    http_call call;
    call.target = std::move(target);
    call.bearer_token = std::move(token);
    return {"GET", std::move(path), call, status};
  }
  static route_call post(std::string path, std::string target, std::string body,
                         std::string token, unsigned status) {
    http_call call;
    call.method = "POST";
    call.target = std::move(target);
    call.body = std::move(body);
    call.bearer_token = std::move(token);
    return {"POST", std::move(path), call, status};
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  json document_;
  std::set<std::string> covered_;
};

gateway_stack* OpenApiConformance::stack_ = nullptr;
bool OpenApiConformance::started_ = false;
std::string OpenApiConformance::start_error_;

TEST_F(OpenApiConformance, ServedDocumentIsTheFile) {
  auto result = check(get("/v1/openapi.json", "/v1/openapi.json", "", 200));
  EXPECT_EQ(result.json(), document_);
  check(post("/v1/openapi.json", "/v1/openapi.json", "{}", "", 405));
}

TEST_F(OpenApiConformance, EveryOperationMatchesItsSchemas) {
  check(get("/healthz", "/healthz", "", 200));
  check(get("/readyz", "/readyz", "", 200));
  check(get("/v1/openapi.json", "/v1/openapi.json", "", 200));

  // Login: success, a bad body and a wrong password.
  json login = {{"username", "admin"}, {"password", stack_->admin_password()}};
  auto granted = check(post("/v1/login", "/v1/login", login.dump(), "", 200));
  std::string token = granted.json().value("token", "");
  ASSERT_FALSE(token.empty());
  check(post("/v1/login", "/v1/login", "[]", "", 400));
  check(post("/v1/login", "/v1/login",
             R"({"username":"admin","password":"wrong"})", "", 401));
  check(get("/v1/login", "/v1/login", "", 405));
  std::string viewer = stack_->login("viewer", "viewer-password");

  // Submit: accepted, invalid, without a token and denied by policy.
  json ping = {{"agent", "rpcutil"}, {"action", "ping"}};
  auto accepted =
      check(post("/v1/requests", "/v1/requests", ping.dump(), token, 202));
  std::string id = accepted.json().value("request_id", "");
  ASSERT_EQ(id.size(), 32u);
  check(post("/v1/requests", "/v1/requests", R"({"agent":"rpcutil"})", token,
             400));
  check(post("/v1/requests", "/v1/requests", ping.dump(), "", 401));
  check(post("/v1/requests", "/v1/requests",
             R"({"agent":"rpcutil","action":"inventory"})", viewer, 403));

  // Status, while running and once finished; unknown and another user's.
  std::string status_path = "/v1/requests/{id}";
  check(get(status_path, "/v1/requests/" + id, token, 200));
  ASSERT_TRUE(stack_->await_finished(token, id, 30s).is_object());
  check(get(status_path, "/v1/requests/" + id, token, 200));
  check(get(status_path, "/v1/requests/" + std::string(32, 'a'), token, 404));
  check(get(status_path, "/v1/requests/" + id, viewer, 404));
  check(get(status_path, "/v1/requests/" + id, "", 401));

  // Replies: a first page with a cursor, the page it leads to, a bad
  // limit and an unknown request.
  std::string replies_path = "/v1/requests/{id}/replies";
  auto first = check(
      get(replies_path, "/v1/requests/" + id + "/replies?limit=1", token, 200));
  std::string cursor = first.json().value("next_cursor", "");
  ASSERT_FALSE(cursor.empty()) << first.body;
  check(get(replies_path,
            "/v1/requests/" + id + "/replies?limit=5&cursor=" + cursor, token,
            200));
  check(
      get(replies_path, "/v1/requests/" + id + "/replies?limit=0", token, 400));
  check(get(replies_path, "/v1/requests/" + std::string(32, 'b') + "/replies",
            token, 404));
  check(get(replies_path, "/v1/requests/" + id + "/replies", "", 401));

  // Events of the finished request: every reply, then the end event, and
  // the stream closes. A resumed stream and a bad Last-Event-ID.
  std::string events_path = "/v1/requests/{id}/events";
  check(get(events_path, "/v1/requests/" + id + "/events", token, 200));
  check(get(events_path, "/v1/requests/" + id + "/events?last_event_id=1",
            token, 200));
  check(get(events_path, "/v1/requests/" + id + "/events?last_event_id=x",
            token, 400));
  check(get(events_path, "/v1/requests/" + id + "/events", "", 401));
  check(get(events_path, "/v1/requests/" + std::string(32, 'c') + "/events",
            token, 404));

  // Every operation in the document was called.
  for (const auto& [path, item] : document_["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters") continue;
      EXPECT_TRUE(covered_.count(method + " " + path))
          << "no call covers " << method << " " << path
          << "; add one to this test";
    }
  }
}

TEST_F(OpenApiConformance, SchemasRejectWrongShapes) {
  // The check above can fail: a reply page without next_cursor and a
  // status with a state outside the enum are rejected.
  route_call replies = get("/v1/requests/{id}/replies", "", "", 200);
  std::string error;
  json page_schema = response_schema(document_, replies, 200, &error);
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_NE(schema_errors(document_, page_schema, {{"replies", json::array()}}),
            "");
  route_call status = get("/v1/requests/{id}", "", "", 200);
  json status_schema = response_schema(document_, status, 200, &error);
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_NE(schema_errors(
                document_, status_schema,
                {{"request_id", std::string(32, 'a')}, {"state", "sleeping"}}),
            "");
}

}  // namespace
}  // namespace gateway::openapi_test

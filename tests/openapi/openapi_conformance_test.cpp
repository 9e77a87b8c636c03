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
using integration::extra_user;
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

std::string uppercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return text;
}

// Follows a "#/components/..." reference in document.
const json& resolve(const json& document, const json& node) {
  if (!node.is_object() || !node.contains("$ref")) return node;
  json::json_pointer pointer(node["$ref"].get<std::string>().substr(1));
  return document.at(pointer);
}

// The response object that the document gives for route and status, with
// references resolved, or null (and *error set) when it has none. A 405
// is checked against the MethodNotAllowed response, since the operation
// it responds to is the one the document does not have.
json response_object(const json& document, const route_call& route,
                     unsigned status, std::string* error) {
  if (status == 405)
    return document["components"]["responses"]["MethodNotAllowed"];
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
  return resolve(document, *found);
}

// The JSON schema of a response's JSON body, or null as above.
json response_schema(const json& document, const route_call& route,
                     unsigned status, std::string* error) {
  json response = response_object(document, route, status, error);
  if (response.is_null()) return nullptr;
  json content = response.value("content", json::object());
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

// The methods that operate on one path of the document, in upper case.
std::set<std::string> documented_methods(const json& item) {
  std::set<std::string> methods;
  for (const auto& [method, operation] : item.items())
    if (method != "parameters") methods.insert(uppercase(method));
  return methods;
}

// The methods in an Allow field such as "GET, POST".
std::set<std::string> allowed_methods(const std::string& field) {
  std::set<std::string> methods;
  std::size_t start = 0;
  while (start < field.size()) {
    auto end = field.find(',', start);
    if (end == std::string::npos) end = field.size();
    auto item = field.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) methods.insert(item);
    start = end + 1;
  }
  return methods;
}

// A concrete path for a path template: each {name} becomes a valid value.
std::string concrete_path(std::string path) {
  for (auto open = path.find('{'); open != std::string::npos;
       open = path.find('{')) {
    auto close = path.find('}', open);
    path.replace(open, close - open + 1, std::string(32, 'a'));
  }
  return path;
}

const extra_user viewer{"viewer", "viewer-password", {"rpcutil.ping"}, {}};
const extra_user auditor{"auditor", "auditor-password", {}, {"auditor"}};
const extra_user busy{"busy", "busy-password", {"rpcutil.ping"}, {}};
const extra_user leaver{"leaver", "leaver-password", {"rpcutil.ping"}, {}};
const std::string silent_node = "node-3.example.net";
constexpr int requests_in_flight = 3;

class OpenApiConformance : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    integration::stack_options options;
    options.fleet_size = 3;
    options.silent_nodes = {silent_node};
    options.users = {viewer, auditor, busy, leaver};
    options.extra_roles = {
        {"auditor", {{"allow", json::array()}, {"read", {"audit"}}}}};
    options.extra_config = {"gateway.limits.user_requests_in_flight = " +
                            std::to_string(requests_in_flight)};
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

  // Makes the call, checks its status, its body against the document's
  // schema, its Content-Type and the headers the document marks required,
  // and records the operation as covered.
  http_result check(const route_call& route) {
    auto result = stack_->http(route.call);
    covered_.insert(lowercase(route.method) + " " + route.path);
    std::string where = route.method + " " + route.call.target;
    EXPECT_EQ(result.status, route.expected_status)
        << where << ": " << result.body << result.error;
    std::string error;
    json response = response_object(document_, route, result.status, &error);
    EXPECT_TRUE(error.empty()) << where << ": " << error;
    if (!error.empty()) return result;
    check_headers(where, response.value("headers", json::object()), result);

    json content = response.value("content", json::object());
    if (content.empty()) {
      EXPECT_EQ(result.body, "") << where << " documents no body";
      return result;
    }
    std::string media_type = content.begin().key();
    EXPECT_EQ(result.header("Content-Type").rfind(media_type, 0), 0u)
        << where << " sent Content-Type " << result.header("Content-Type")
        << ", documented " << media_type;
    if (media_type == "text/event-stream") {
      check_events(where, content[media_type], result.body);
    } else if (media_type == "application/json") {
      json body = result.json();
      EXPECT_FALSE(body.is_discarded())
          << where << ": not JSON: " << result.body;
      EXPECT_EQ(schema_errors(document_, content[media_type]["schema"], body),
                "")
          << where << " returned " << result.status << " " << result.body;
    } else {
      EXPECT_FALSE(result.body.empty()) << where << " sent an empty body";
    }
    return result;
  }

  // Checks that the headers marked required are present, with the value
  // of the schema's const when it has one.
  void check_headers(const std::string& where, const json& headers,
                     const http_result& result) {
    for (const auto& [name, header] : headers.items()) {
      if (!header.value("required", false)) continue;
      std::string value = result.header(name);
      EXPECT_FALSE(value.empty())
          << where << " returned " << result.status << " without " << name;
      json schema = header.value("schema", json::object());
      if (schema.contains("const")) {
        EXPECT_EQ(value, schema["const"].get<std::string>())
            << where << ": " << name;
      }
    }
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

  static route_call call(std::string method, std::string path,
                         std::string target, std::string token, unsigned status,
                         std::string body = "") {
    http_call call;
    call.method = method;
    call.target = std::move(target);
    call.body = std::move(body);
    call.bearer_token = std::move(token);
    return {std::move(method), std::move(path), call, status};
  }
  static route_call get(std::string path, std::string target, std::string token,
                        unsigned status) {
    return call("GET", std::move(path), std::move(target), std::move(token),
                status);
  }
  static route_call post(std::string path, std::string target, std::string body,
                         std::string token, unsigned status) {
    return call("POST", std::move(path), std::move(target), std::move(token),
                status, std::move(body));
  }
  static route_call with_key(route_call route, std::string key) {
    route.call.headers.emplace_back("Idempotency-Key", std::move(key));
    return route;
  }

  // Each calls one group of routes. The tokens passed in stay valid.
  std::string check_login_routes();
  std::string check_submit(const std::string& token,
                           const std::string& viewer_token);
  void check_status_and_replies(const std::string& token,
                                const std::string& viewer_token,
                                const std::string& id);
  void check_events_route(const std::string& token, const std::string& id);
  void check_history(const std::string& token, const std::string& viewer_token,
                     const std::string& id);
  void check_replay(const std::string& token, const std::string& viewer_token,
                    const std::string& id);
  void check_audit(const std::string& viewer_token);
  void check_api_keys(const std::string& token,
                      const std::string& viewer_token);
  void check_revocation(const std::string& token,
                        const std::string& viewer_token);
  void check_in_flight_limit();
  void check_health_routes();

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  json document_;
  std::set<std::string> covered_;
};

gateway_stack* OpenApiConformance::stack_ = nullptr;
bool OpenApiConformance::started_ = false;
std::string OpenApiConformance::start_error_;

// Login: success, a bad body, a wrong password and the throttle. Returns
// the admin's token.
std::string OpenApiConformance::check_login_routes() {
  json login = {{"username", "admin"}, {"password", stack_->admin_password()}};
  auto granted = check(post("/v1/login", "/v1/login", login.dump(), "", 200));
  std::string token = granted.json().value("token", "");
  EXPECT_FALSE(token.empty());
  check(post("/v1/login", "/v1/login", "[]", "", 400));
  check(post("/v1/login", "/v1/login",
             R"({"username":"admin","password":"wrong"})", "", 401));
  check(get("/v1/login", "/v1/login", "", 405));

  // The sixth failure of one username within the window is throttled
  // (gateway.throttle.user_failures defaults to 5).
  std::string intruder = R"({"username":"intruder","password":"guess"})";
  for (int attempt = 1; attempt <= 5; ++attempt)
    check(post("/v1/login", "/v1/login", intruder, "", 401));
  check(post("/v1/login", "/v1/login", intruder, "", 429));

  // Logout revokes the presented token only.
  std::string spare = stack_->login("admin", stack_->admin_password());
  check(post("/v1/logout", "/v1/logout", "", spare, 204));
  check(post("/v1/logout", "/v1/logout", "", spare, 401));
  check(post("/v1/logout", "/v1/logout", "", "", 401));
  check(get("/v1/logout", "/v1/logout", "", 405));
  return token;
}

// Submit: accepted, invalid, without a token, denied by policy, and the
// Idempotency-Key cases. Returns the id of a ping of every node.
std::string OpenApiConformance::check_submit(const std::string& token,
                                             const std::string& viewer_token) {
  json ping = {{"agent", "rpcutil"}, {"action", "ping"}};
  auto accepted =
      check(post("/v1/requests", "/v1/requests", ping.dump(), token, 202));
  std::string id = accepted.json().value("request_id", "");
  EXPECT_EQ(id.size(), 32u);
  check(post("/v1/requests", "/v1/requests", R"({"agent":"rpcutil"})", token,
             400));
  check(post("/v1/requests", "/v1/requests", ping.dump(), "", 401));
  check(post("/v1/requests", "/v1/requests",
             R"({"agent":"rpcutil","action":"inventory"})", viewer_token, 403));
  check(call("DELETE", "/v1/requests", "/v1/requests", token, 405));
  // gateway.max_body_bytes defaults to 512 KiB.
  std::string large = R"({"agent":"rpcutil","action":"ping","data":{"x":")" +
                      std::string(1 << 20, 'x') + R"("}})";
  check(post("/v1/requests", "/v1/requests", large, token, 413));

  // The same key and body give the first request again, spacing aside;
  // the key with another body and an invalid key are rejected.
  std::string key = "conformance-" + std::string(8, 'k');
  auto first = check(with_key(
      post("/v1/requests", "/v1/requests", ping.dump(), token, 202), key));
  auto again = check(with_key(
      post("/v1/requests", "/v1/requests", ping.dump(2), token, 200), key));
  EXPECT_EQ(again.json().value("request_id", "x"),
            first.json().value("request_id", "y"));
  check(
      with_key(post("/v1/requests", "/v1/requests",
                    R"({"agent":"rpcutil","action":"inventory"})", token, 422),
               key));
  check(with_key(post("/v1/requests", "/v1/requests", ping.dump(), token, 400),
                 "has spaces"));
  return id;
}

// Status, while running and once finished, and reply pages.
void OpenApiConformance::check_status_and_replies(
    const std::string& token, const std::string& viewer_token,
    const std::string& id) {
  std::string status_path = "/v1/requests/{id}";
  check(get(status_path, "/v1/requests/" + id, token, 200));
  ASSERT_TRUE(stack_->await_finished(token, id, 30s).is_object());
  check(get(status_path, "/v1/requests/" + id, token, 200));
  check(get(status_path, "/v1/requests/" + std::string(32, 'a'), token, 404));
  check(get(status_path, "/v1/requests/" + id, viewer_token, 404));
  check(get(status_path, "/v1/requests/" + id, "", 401));

  // A first page with a cursor, the page it leads to, a bad limit and an
  // unknown request.
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
}

// Events of the finished request: every reply, then the end event, and
// the stream closes. A resumed stream and a bad Last-Event-ID.
void OpenApiConformance::check_events_route(const std::string& token,
                                            const std::string& id) {
  std::string events_path = "/v1/requests/{id}/events";
  check(get(events_path, "/v1/requests/" + id + "/events", token, 200));
  check(get(events_path, "/v1/requests/" + id + "/events?last_event_id=1",
            token, 200));
  check(get(events_path, "/v1/requests/" + id + "/events?last_event_id=x",
            token, 400));
  check(get(events_path, "/v1/requests/" + id + "/events", "", 401));
  check(get(events_path, "/v1/requests/" + std::string(32, 'c') + "/events",
            token, 404));
}

// History: pages with a cursor, every filter, each invalid parameter, and
// another user's requests for a user who may read only their own.
void OpenApiConformance::check_history(const std::string& token,
                                       const std::string& viewer_token,
                                       const std::string& id) {
  std::string path = "/v1/requests";
  auto first = check(get(path, "/v1/requests?limit=1", token, 200));
  std::string cursor = first.json().value("next_cursor", "");
  ASSERT_FALSE(cursor.empty()) << first.body;
  check(get(path, "/v1/requests?limit=2&cursor=" + cursor, token, 200));
  auto filtered = check(get(path,
                            "/v1/requests?agent=rpcutil&action=ping&caller="
                            "admin&state=complete&since=2026-01-01T00:00:00Z"
                            "&until=4102444800",
                            token, 200));
  bool listed = false;
  for (const auto& request : filtered.json().value("requests", json::array()))
    listed = listed || request.value("request_id", "") == id;
  EXPECT_TRUE(listed) << id << " is not in " << filtered.body;
  check(get(path, "/v1/requests?caller=admin", viewer_token, 200));
  check(get(path, "/v1/requests?state=sleeping", token, 400));
  check(get(path, "/v1/requests?limit=0", token, 400));
  check(get(path, "/v1/requests?since=yesterday", token, 400));
  check(get(path, "/v1/requests?agent=" + std::string(257, 'a'), token, 400));
  check(get(path, "/v1/requests?agent=puppet&cursor=" + cursor, token, 400));
  check(get(path, "/v1/requests", "", 401));
}

// Replay: to all nodes (also with an empty body), with an Idempotency-Key,
// and each rejection.
void OpenApiConformance::check_replay(const std::string& token,
                                      const std::string& viewer_token,
                                      const std::string& id) {
  std::string path = "/v1/requests/{id}/replay";
  std::string target = "/v1/requests/" + id + "/replay";
  check(post(path, target, R"({"targets":"all"})", token, 202));
  check(post(path, target, "", token, 202));
  auto first = check(with_key(
      post(path, target, R"({"targets":"all"})", token, 202), "replay-key"));
  auto again = check(with_key(
      post(path, target, R"({"targets":"all"})", token, 200), "replay-key"));
  EXPECT_EQ(again.json().value("request_id", "x"),
            first.json().value("request_id", "y"));
  // {} requests the same replay as {"targets":"all"}, but the key on a
  // replay of another request is a key reused for another body.
  check(with_key(post(path, target, "{}", token, 200), "replay-key"));
  const std::string other_target =
      "/v1/requests/" + again.json().value("request_id", "") + "/replay";
  check(with_key(post(path, other_target, "{}", token, 422), "replay-key"));

  // Every node replied with statuscode 0, so none failed.
  check(post(path, target, R"({"targets":"failed"})", token, 409));
  check(post(path, target, R"({"targets":"some"})", token, 400));
  check(post(path, target, "[]", token, 400));
  check(post(path, "/v1/requests/" + std::string(32, 'd') + "/replay", "{}",
             token, 404));
  check(post(path, target, "{}", viewer_token, 404));
  check(post(path, target, "{}", "", 401));
  check(get(path, target, token, 405));
}

// Audit: pages for a user with the audit permission, filters, and the
// rejections.
void OpenApiConformance::check_audit(const std::string& viewer_token) {
  std::string auditor_token = stack_->login(auditor.username, auditor.password);
  std::string path = "/v1/audit";
  auto first = check(get(path, "/v1/audit?limit=2", auditor_token, 200));
  std::string cursor = first.json().value("next_cursor", "");
  ASSERT_FALSE(cursor.empty()) << first.body;
  check(get(path, "/v1/audit?limit=50&cursor=" + cursor, auditor_token, 200));
  for (const char* kind :
       {"login", "login_failed", "denied", "submitted", "replayed", "logout"}) {
    auto page = check(get(
        path,
        std::string("/v1/audit?kind=") + kind + "&since=2026-01-01T00:00:00Z",
        auditor_token, 200));
    EXPECT_FALSE(page.json().value("entries", json::array()).empty())
        << "no " << kind << " entry to check: " << page.body;
  }
  check(
      get(path, "/v1/audit?caller=admin&until=4102444800", auditor_token, 200));
  check(get(path, "/v1/audit?kind=reboot", auditor_token, 400));
  check(get(path, "/v1/audit?until=later", auditor_token, 400));
  check(get(path, "/v1/audit", viewer_token, 403));
  check(get(path, "/v1/audit", "", 401));
  check(post(path, path, "{}", auditor_token, 405));
}

// API keys: created, used, listed and revoked by an admin, and each
// rejection.
void OpenApiConformance::check_api_keys(const std::string& token,
                                        const std::string& viewer_token) {
  std::string path = "/v1/apikeys";
  json order = {{"owner", viewer.username},
                {"name", "conformance"},
                {"scope", {"rpcutil.ping"}}};
  auto created = check(post(path, path, order.dump(), token, 201));
  std::string key = created.json().value("key", "");
  std::string key_id = created.json().value("id", "");
  ASSERT_FALSE(key.empty()) << created.body;
  check(post(path, path, R"({"owner":"viewer"})", token, 400));
  json expiring = order;
  expiring["expires_in"] = 3600;
  auto expiring_key = check(post(path, path, expiring.dump(), token, 201));
  EXPECT_TRUE(expiring_key.json().contains("expires_at")) << expiring_key.body;
  expiring["expires_in"] = 0;
  check(post(path, path, expiring.dump(), token, 400));
  json beyond = order;
  beyond["scope"] = {"*"};
  check(post(path, path, beyond.dump(), token, 400));
  json stranger = order;
  stranger["owner"] = "nobody";
  check(post(path, path, stranger.dump(), token, 400));
  check(post(path, path, order.dump(), viewer_token, 403));
  check(post(path, path, order.dump(), key, 403));
  check(post(path, path, order.dump(), "", 401));
  check(get(path, path, token, 200));
  check(get(path, path, viewer_token, 403));
  check(get(path, path, "", 401));
  check(call("PUT", path, path, token, 405));

  // The key acts as its owner within its scope, and cannot log out.
  json ping = {{"agent", "rpcutil"}, {"action", "ping"}};
  check(post("/v1/requests", "/v1/requests", ping.dump(), key, 202));
  check(post("/v1/logout", "/v1/logout", "", key, 400));

  std::string key_path = "/v1/apikeys/{id}";
  std::string key_target = "/v1/apikeys/" + key_id;
  check(call("DELETE", key_path, key_target, viewer_token, 403));
  check(call("DELETE", key_path, key_target, "", 401));
  check(call("DELETE", key_path, key_target, token, 204));
  check(call("DELETE", key_path, key_target, token, 404));
  check(get(key_path, key_target, token, 405));
}

// Revoking every token of a user, and the rejections.
void OpenApiConformance::check_revocation(const std::string& token,
                                          const std::string& viewer_token) {
  std::string leaver_token = stack_->login(leaver.username, leaver.password);
  std::string path = "/v1/admin/users/{user}/revoke";
  std::string target = "/v1/admin/users/leaver/revoke";
  check(post(path, target, "", viewer_token, 403));
  check(post(path, target, "", "", 401));
  check(post(path, "/v1/admin/users/nobody/revoke", "", token, 404));
  check(post(path, target, "", token, 204));
  check(get("/v1/requests", "/v1/requests", leaver_token, 401));
  check(get(path, target, token, 405));
}

// A user with requests_in_flight requests running gets 429 for one more.
// The silent node keeps each request running until its timeout.
void OpenApiConformance::check_in_flight_limit() {
  std::string busy_token = stack_->login(busy.username, busy.password);
  json wait = {{"agent", "rpcutil"},
               {"action", "ping"},
               {"nodes", {silent_node}},
               {"timeout", 60}};
  for (int i = 0; i < requests_in_flight; ++i)
    check(post("/v1/requests", "/v1/requests", wait.dump(), busy_token, 202));
  check(post("/v1/requests", "/v1/requests", wait.dump(), busy_token, 429));
}

void OpenApiConformance::check_health_routes() {
  check(get("/healthz", "/healthz", "", 200));
  check(get("/readyz", "/readyz", "", 200));
  check(get("/v1/openapi.json", "/v1/openapi.json", "", 200));
  check(get("/metrics", "/metrics", "", 200));
  check(post("/metrics", "/metrics", "", "", 405));
  check(post("/healthz", "/healthz", "", "", 405));
}

TEST_F(OpenApiConformance, ServedDocumentIsTheFile) {
  auto result = check(get("/v1/openapi.json", "/v1/openapi.json", "", 200));
  EXPECT_EQ(result.json(), document_);
  check(post("/v1/openapi.json", "/v1/openapi.json", "{}", "", 405));
}

TEST_F(OpenApiConformance, EveryOperationMatchesItsSchemas) {
  check_health_routes();
  std::string token = check_login_routes();
  ASSERT_FALSE(token.empty());
  std::string viewer_token = stack_->login(viewer.username, viewer.password);
  std::string id = check_submit(token, viewer_token);
  ASSERT_EQ(id.size(), 32u);
  check_status_and_replies(token, viewer_token, id);
  check_events_route(token, id);
  check_history(token, viewer_token, id);
  check_replay(token, viewer_token, id);
  check_audit(viewer_token);
  check_api_keys(token, viewer_token);
  check_revocation(token, viewer_token);
  check_in_flight_limit();

  // Every operation in the document was called.
  for (const auto& [path, item] : document_["paths"].items()) {
    for (const auto& method : documented_methods(item)) {
      EXPECT_TRUE(covered_.count(lowercase(method) + " " + path))
          << "no call covers " << method << " " << path
          << "; add one to this test";
    }
  }
}

TEST_F(OpenApiConformance, ServedMethodsMatchTheDocument) {
  // PATCH is on no route, so each path returns 405 with the methods the
  // gateway serves on it, which must be the documented ones.
  for (const auto& [path, item] : document_["paths"].items()) {
    http_call probe;
    probe.method = "PATCH";
    probe.target = concrete_path(path);
    auto result = stack_->http(probe);
    EXPECT_EQ(result.status, 405u)
        << "PATCH " << probe.target << ": " << result.body;
    EXPECT_EQ(allowed_methods(result.header("Allow")), documented_methods(item))
        << path << " is served with Allow: " << result.header("Allow");
  }
}

TEST_F(OpenApiConformance, SchemasRejectWrongShapes) {
  // The check above can fail: a reply page without next_cursor, a status
  // with a state outside the enum, and a history entry with a no_response
  // list are rejected.
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
  route_call history = get("/v1/requests", "", "", 200);
  json history_schema = response_schema(document_, history, 200, &error);
  ASSERT_TRUE(error.empty()) << error;
  json entry = {{"no_response", json::array()}};
  EXPECT_NE(schema_errors(document_, history_schema,
                          {{"requests", {entry}}, {"next_cursor", nullptr}}),
            "");
}

}  // namespace
}  // namespace gateway::openapi_test

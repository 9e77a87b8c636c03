#include "schema_check.hpp"

#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "gateway/common/encoding.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;

// The base64 text of `ping`, the body of a discovery request.
constexpr const char* discovery_body = "cGluZw==";

// Parses the named schema once; the schemas have no $ref, so no remote
// document is ever fetched. Returns null when the file cannot be parsed.
std::shared_ptr<const valijson::Schema> load_schema(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const valijson::Schema>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = cache.find(name);
  if (found != cache.end()) return found->second;

  std::ifstream input(std::string(GATEWAY_SHARED_DIR) +
                      "/choria/schemas/protocol/v1/" + name);
  std::stringstream text;
  text << input.rdbuf();
  json document = json::parse(text.str(), nullptr, false);
  if (document.is_discarded()) return nullptr;
  auto schema = std::make_shared<valijson::Schema>();
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  parser.populateSchema(adapter, *schema);
  cache[name] = schema;
  return schema;
}

// Parses text as a JSON object, or appends a problem to *errors.
json parse_object(const std::string& text, const std::string& layer,
                  std::string* errors) {
  json document = json::parse(text, nullptr, false);
  if (!document.is_object()) {
    *errors += layer + " is not a JSON object: " + text.substr(0, 200) + "\n";
    return nullptr;
  }
  return document;
}

// The string field of document, or an empty string.
std::string text_field(const json& document, const char* key) {
  auto found = document.find(key);
  if (found == document.end() || !found->is_string()) return "";
  return found->get<std::string>();
}

// Validates the transport layer and returns the decoded secure layer text.
// Nodes drop a request whose transport has no reply-to header.
std::string check_transport(const std::string& payload, bool is_request,
                            std::string* errors) {
  json transport = parse_object(payload, "transport", errors);
  if (transport.is_null()) return "";
  *errors += schema_errors("transport.json", transport);
  const json& headers = transport.value("headers", json::object());
  if (is_request && text_field(headers, "reply-to").empty())
    *errors += "transport.headers has no reply-to\n";
  auto secure_text = base64_decode(text_field(transport, "data"));
  if (!secure_text) {
    *errors += "transport.data is not base64\n";
    return "";
  }
  return *secure_text;
}

void check_envelope_keys(const json& request, std::string* errors) {
  static const std::set<std::string> allowed{
      "requestid", "senderid", "callerid", "collective",
      "agent",     "ttl",      "time",     "filter"};
  if (!request.contains("envelope") || !request["envelope"].is_object()) return;
  for (const auto& [key, value] : request["envelope"].items())
    if (!allowed.contains(key))
      *errors += "request.envelope has the extra key " + key +
                 ", which legacy Ruby nodes reject\n";
}

void check_rpc_body(const json& request, std::string* errors) {
  std::string message = text_field(request, "message");
  const json& envelope = request.value("envelope", json::object());
  std::string agent = text_field(envelope, "agent");
  if (agent == "discovery") {
    if (message != discovery_body)
      *errors += "discovery body is not base64 of ping: " + message + "\n";
    return;
  }
  json body = parse_object(message, "RPC body", errors);
  if (body.is_null()) return;
  if (text_field(body, "agent") != agent)
    *errors += "RPC body agent differs from the envelope's " + agent + "\n";
  if (text_field(body, "action").empty()) *errors += "RPC body has no action\n";
  if (text_field(body, "caller") != text_field(envelope, "callerid"))
    *errors += "RPC body caller differs from the envelope's callerid\n";
  if (!body.contains("data") || !body["data"].is_object())
    *errors += "RPC body data is not an object\n";
}

}  // namespace

std::string schema_errors(const std::string& name, const json& document) {
  auto schema = load_schema(name);
  if (!schema) return "cannot parse the schema " + name + "\n";
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(document);
  if (validator.validate(*schema, target, &results)) return "";

  std::string errors;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    errors += name + " ";
    for (const auto& part : error.context) errors += part;
    errors += ": " + error.description + "\n";
  }
  return errors;
}

std::string request_layer_errors(const std::string& payload) {
  std::string errors;
  std::string secure_text = check_transport(payload, true, &errors);
  if (secure_text.empty()) return errors;

  json secure = parse_object(secure_text, "secure request", &errors);
  if (secure.is_null()) return errors;
  errors += schema_errors("secure_request.json", secure);

  json request =
      parse_object(text_field(secure, "message"), "request", &errors);
  if (request.is_null()) return errors;
  errors += schema_errors("request.json", request);
  check_envelope_keys(request, &errors);
  check_rpc_body(request, &errors);
  return errors;
}

std::string reply_layer_errors(const std::string& payload) {
  std::string errors;
  std::string secure_text = check_transport(payload, false, &errors);
  if (secure_text.empty()) return errors;

  json secure = parse_object(secure_text, "secure reply", &errors);
  if (secure.is_null()) return errors;
  errors += schema_errors("secure_reply.json", secure);

  json reply = parse_object(text_field(secure, "message"), "reply", &errors);
  if (reply.is_null()) return errors;
  errors += schema_errors("reply.json", reply);
  return errors;
}

}  // namespace gateway::integration

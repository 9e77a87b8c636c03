// Every encoded layer validates against the upstream Choria v1 JSON Schemas.
#include <gtest/gtest.h>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <fstream>
#include <sstream>

#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"

#include "fixtures.hpp"

namespace gateway::choria {
namespace {

// Validates document against the named schema; returns the validator's
// messages, empty when valid. The schemas have no $ref, so no remote
// document is ever fetched.
std::string schema_errors(const std::string& schema_name,
                          const nlohmann::json& document) {
  std::ifstream in(testing::schema_file(schema_name));
  std::stringstream text;
  text << in.rdbuf();
  auto schema_json = nlohmann::json::parse(text.str(), nullptr, false);
  if (schema_json.is_discarded()) return "cannot parse schema " + schema_name;

  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);

  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(document);
  if (validator.validate(schema, target, &results)) return {};
  std::string errors;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    for (const auto& part : error.context) errors += part;
    errors += ": " + error.description + "\n";
  }
  return errors;
}

struct encoded_request {
  std::string transport;
  nlohmann::json secure;
  nlohmann::json request;
};

encoded_request encode_sample_request() {
  auto identity = testing::go_choria_identity("1.privileged.mcollective");
  auto env = testing::envelope_for({});
  env.target.identity = {"web1"};
  env.target.agent = {"rpcutil"};
  env.target.fact = {{"country", "=~", "mt"}};
  std::string request = encode_request(
      env, encode_rpc_body("rpcutil", "ping", env.caller_id, {}));
  std::string secure = encode_secure_request(request, identity);
  return {encode_transport(secure, {"mcollective.reply.x.y", "gw"}),
          nlohmann::json::parse(secure), nlohmann::json::parse(request)};
}

TEST(Schema, RequestTransportIsValid) {
  auto encoded = encode_sample_request();
  EXPECT_EQ(
      schema_errors("transport.json", nlohmann::json::parse(encoded.transport)),
      "");
}

TEST(Schema, SecureRequestIsValid) {
  EXPECT_EQ(
      schema_errors("secure_request.json", encode_sample_request().secure), "");
}

TEST(Schema, RequestIsValid) {
  EXPECT_EQ(schema_errors("request.json", encode_sample_request().request), "");
}

TEST(Schema, DiscoveryRequestIsValid) {
  auto request = nlohmann::json::parse(
      encode_request(testing::envelope_for({}), discovery_rpc_body()));
  EXPECT_EQ(schema_errors("request.json", request), "");
}

TEST(Schema, ReplyLayersAreValid) {
  std::string payload =
      encode_reply("0123456789abcdef0123456789abcdef", "web1", "rpcutil",
                   1733300000, R"({"statuscode":0,"data":{}})");
  auto transport = nlohmann::json::parse(payload);
  EXPECT_EQ(schema_errors("transport.json", transport), "");

  auto secure = nlohmann::json::parse(
      *base64_decode(transport["data"].get<std::string>()));
  EXPECT_EQ(schema_errors("secure_reply.json", secure), "");

  auto reply = nlohmann::json::parse(secure["message"].get<std::string>());
  EXPECT_EQ(schema_errors("reply.json", reply), "");
}

TEST(Schema, DetectsInvalidDocument) {
  // Guards the validator setup: a wrong protocol must fail validation.
  auto request = encode_sample_request().request;
  request["protocol"] = "choria:request:9";
  EXPECT_NE(schema_errors("request.json", request), "");
}

}  // namespace
}  // namespace gateway::choria

#include "gateway/choria/protocol.hpp"

#include "wire.hpp"

namespace gateway::choria {

namespace {

bool read_integer(const nlohmann::json& object, const char* key,
                  std::int64_t* out) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_number_integer()) return false;
  *out = found->get<std::int64_t>();
  return true;
}

// Reads the eight envelope keys; every one is required.
std::optional<envelope> parse_envelope(const nlohmann::json& object) {
  envelope env;
  auto request_id = detail::string_field(object, "requestid");
  auto sender_id = detail::string_field(object, "senderid");
  auto caller_id = detail::string_field(object, "callerid");
  auto collective = detail::string_field(object, "collective");
  auto agent = detail::string_field(object, "agent");
  if (!request_id || request_id->size() != 32 || !sender_id || !caller_id ||
      caller_id->empty() || !collective || collective->empty() || !agent ||
      agent->empty())
    return std::nullopt;
  if (!read_integer(object, "ttl", &env.ttl) ||
      !read_integer(object, "time", &env.time))
    return std::nullopt;

  auto filter_json = object.find("filter");
  if (filter_json == object.end()) return std::nullopt;
  std::string error;
  auto target = filter_from_json(*filter_json, &error);
  if (!target) return std::nullopt;

  env.request_id = std::move(*request_id);
  env.sender_id = std::move(*sender_id);
  env.caller_id = std::move(*caller_id);
  env.collective = std::move(*collective);
  env.agent = std::move(*agent);
  env.target = std::move(*target);
  return env;
}

// Reads the choria:request:1 layer into request.
bool parse_request(std::string_view text, received_request* request) {
  auto object = detail::parse_object(text);
  if (!object || !detail::has_protocol(*object, detail::request_protocol))
    return false;
  auto message = detail::string_field(*object, "message");
  auto envelope_json = object->find("envelope");
  if (!message || envelope_json == object->end() || !envelope_json->is_object())
    return false;
  auto env = parse_envelope(*envelope_json);
  if (!env) return false;
  request->env = std::move(*env);
  request->rpc_body = decode_rpc_message(*message);
  return true;
}

}  // namespace

request_result decode_request(std::string_view nats_payload) {
  request_result result;
  auto transport = detail::parse_transport(nats_payload);
  if (!transport) return result;

  result.error = decode_error::malformed_secure;
  auto secure = detail::parse_object(transport->data);
  if (!secure ||
      !detail::has_protocol(*secure, detail::secure_request_protocol))
    return result;
  auto message = detail::string_field(*secure, "message");
  auto signature = detail::string_field(*secure, "signature");
  auto pubcert = detail::string_field(*secure, "pubcert");
  if (!message || !signature || !pubcert) return result;

  received_request request;
  request.headers = std::move(transport->headers);
  request.secure_message = std::move(*message);
  request.signature = std::move(*signature);
  request.pubcert = std::move(*pubcert);

  result.error = decode_error::malformed_message;
  if (!parse_request(request.secure_message, &request)) return result;
  result.value = std::move(request);
  return result;
}

}  // namespace gateway::choria

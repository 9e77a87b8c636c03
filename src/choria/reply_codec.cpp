#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"

#include "wire.hpp"

namespace gateway::choria {

std::string_view to_string(decode_error error) {
  switch (error) {
    case decode_error::malformed_transport:
      return "malformed_transport";
    case decode_error::malformed_secure:
      return "malformed_secure";
    case decode_error::bad_hash:
      return "bad_hash";
    case decode_error::malformed_message:
      return "malformed_message";
  }
  return "unknown";
}

std::string encode_reply(std::string_view request_id,
                         std::string_view sender_id, std::string_view agent,
                         std::int64_t time, std::string_view rpc_reply_text) {
  nlohmann::json reply_json = {{"protocol", detail::reply_protocol},
                               {"message", rpc_reply_text},
                               {"envelope",
                                {{"requestid", request_id},
                                 {"senderid", sender_id},
                                 {"agent", agent},
                                 {"time", time}}}};
  // dump_json returns valid UTF-8, so the message embedded below arrives
  // byte for byte and the hash matches.
  std::string reply_text = detail::dump_json(reply_json);
  nlohmann::json secure = {{"protocol", detail::secure_reply_protocol},
                           {"message", reply_text},
                           {"hash", base64_encode(sha256(reply_text))}};
  transport_headers headers;
  headers.mc_sender = std::string(sender_id);
  return encode_transport(detail::dump_json(secure), headers);
}

namespace {

// Reads the choria:reply:1 layer into a reply.
std::optional<reply> parse_reply(std::string_view text) {
  auto object = detail::parse_object(text);
  if (!object || !detail::has_protocol(*object, detail::reply_protocol))
    return std::nullopt;
  auto message = detail::string_field(*object, "message");
  auto envelope = object->find("envelope");
  if (!message || envelope == object->end() || !envelope->is_object())
    return std::nullopt;

  reply result;
  auto request_id = detail::string_field(*envelope, "requestid");
  auto sender_id = detail::string_field(*envelope, "senderid");
  auto agent = detail::string_field(*envelope, "agent");
  auto time = envelope->find("time");
  if (!request_id || request_id->size() != 32 || !sender_id || !agent ||
      time == envelope->end() || !time->is_number_integer())
    return std::nullopt;
  result.request_id = std::move(*request_id);
  result.sender_id = std::move(*sender_id);
  result.agent = std::move(*agent);
  result.time = time->get<std::int64_t>();

  std::string body_text = decode_rpc_message(*message);
  auto body = nlohmann::json::parse(body_text, nullptr, false);
  result.body_is_json = !body.is_discarded();
  result.body = result.body_is_json ? std::move(body)
                                    : nlohmann::json(std::move(body_text));
  return result;
}

}  // namespace

reply_result decode_reply(std::string_view nats_payload) {
  reply_result result;
  auto transport = detail::parse_transport(nats_payload);
  if (!transport) return result;

  result.error = decode_error::malformed_secure;
  auto secure = detail::parse_object(transport->data);
  if (!secure || !detail::has_protocol(*secure, detail::secure_reply_protocol))
    return result;
  auto message = detail::string_field(*secure, "message");
  auto hash = detail::string_field(*secure, "hash");
  if (!message || !hash) return result;

  // Compare digests, not base64 texts, so wrapped base64 is accepted too.
  result.error = decode_error::bad_hash;
  auto digest = base64_decode(*hash);
  if (!digest || !constant_time_equal(*digest, sha256(*message))) return result;

  result.error = decode_error::malformed_message;
  result.value = parse_reply(*message);
  return result;
}

}  // namespace gateway::choria

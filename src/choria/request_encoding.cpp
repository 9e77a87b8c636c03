#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"

#include "wire.hpp"

namespace gateway::choria {

std::string encode_rpc_body(std::string_view agent, std::string_view action,
                            std::string_view caller_id,
                            const nlohmann::json& data) {
  nlohmann::json body = {
      {"agent", agent},
      {"action", action},
      {"caller", caller_id},
      {"data", data.is_null() ? nlohmann::json::object() : data}};
  return detail::dump_json(body);
}

std::string encode_request(const envelope& env, std::string_view rpc_body) {
  nlohmann::json envelope_json = {{"requestid", env.request_id},
                                  {"senderid", env.sender_id},
                                  {"callerid", env.caller_id},
                                  {"collective", env.collective},
                                  {"agent", env.agent},
                                  {"ttl", env.ttl},
                                  {"time", env.time},
                                  {"filter", filter_to_json(env.target)}};
  nlohmann::json request = {{"protocol", detail::request_protocol},
                            {"message", rpc_body},
                            {"envelope", std::move(envelope_json)}};
  return detail::dump_json(request);
}

// NOTE: request_text must be valid UTF-8, as encode_request output always
// is. Other bytes would be replaced in the JSON and break the signature.
std::string encode_secure_request(std::string_view request_text,
                                  const signing_identity& identity) {
  nlohmann::json secure = {{"protocol", detail::secure_request_protocol},
                           {"message", request_text},
                           {"signature", identity.sign(request_text)},
                           {"pubcert", identity.certificate_pem()}};
  return detail::dump_json(secure);
}

std::string encode_transport(std::string_view secure_text,
                             const transport_headers& headers) {
  nlohmann::json header_json = nlohmann::json::object();
  if (!headers.reply_to.empty()) header_json["reply-to"] = headers.reply_to;
  if (!headers.mc_sender.empty()) header_json["mc_sender"] = headers.mc_sender;
  nlohmann::json transport = {{"protocol", detail::transport_protocol},
                              {"data", base64_encode(secure_text)},
                              {"headers", std::move(header_json)}};
  return detail::dump_json(transport);
}

std::string reply_subject(std::string_view collective,
                          std::string_view caller_id,
                          std::string_view request_id) {
  std::string subject(collective);
  subject += ".reply.";
  subject += hex_encode(md5(caller_id));
  subject += '.';
  subject += request_id;
  return subject;
}

std::string broadcast_subject(std::string_view collective,
                              std::string_view agent) {
  std::string subject(collective);
  subject += ".broadcast.agent.";
  subject += agent;
  return subject;
}

std::string node_subject(std::string_view collective,
                         std::string_view identity) {
  std::string subject(collective);
  subject += ".node.";
  subject += identity;
  return subject;
}

}  // namespace gateway::choria

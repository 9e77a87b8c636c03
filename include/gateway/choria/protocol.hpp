// The Choria v1 wire protocol: requests signed by a client, replies hashed
// by a node. Both directions live here so that the gateway and the fleet
// simulator share one encoder and one decoder.
//
// Layers, outermost first:
//   transport {"protocol":"choria:transport:1","data":base64(secure),"headers"}
//   secure    {"protocol":"choria:secure:request:1","message":<request text>,
//              "signature":base64(RSA-SHA256(message)),"pubcert":<PEM>}
//   request   {"protocol":"choria:request:1","message":<RPC body text>,
//              "envelope":{requestid,senderid,callerid,collective,agent,
//                          ttl,time,filter}}
// Replies use choria:secure:reply:1 with "hash": base64(SHA-256(message)).
//
// Functions are pure and thread safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gateway::choria {

struct fact_filter {
  std::string fact;
  std::string op;  // one of >= <= < > != == =~
  std::string value;
};

// A Choria target filter. Every list is sent even when empty.
struct filter {
  std::vector<std::string> identity;  // plain names or /regex/
  std::vector<std::string> cf_class;
  std::vector<std::string> agent;
  std::vector<fact_filter> fact;
  nlohmann::json compound = nlohmann::json::array();

  bool empty() const {
    return identity.empty() && cf_class.empty() && agent.empty() &&
           fact.empty() && compound.empty();
  }
};

// The filter as sent in an envelope, with every list present.
[[nodiscard]] nlohmann::json filter_to_json(const filter& value);

// Parses a filter object as found in an envelope or a submit body. Missing
// lists are empty. On a wrong type sets *error naming the field, for example
// "filter.fact[1].operator must be one of >= <= < > != == =~".
[[nodiscard]] std::optional<filter> filter_from_json(
    const nlohmann::json& value, std::string* error);

// Request envelope: exactly the eight keys legacy nodes accept.
struct envelope {
  std::string request_id;  // 32 lowercase hex characters
  std::string sender_id;   // identity of the sending host
  std::string caller_id;   // for example "choria=alice"
  std::string collective;
  std::string agent;
  std::int64_t ttl = 60;  // seconds, at least 30
  std::int64_t time = 0;  // Unix seconds
  filter target;
};

// The RPC body: {"agent","action","caller","data"}.
[[nodiscard]] std::string encode_rpc_body(std::string_view agent,
                                          std::string_view action,
                                          std::string_view caller_id,
                                          const nlohmann::json& data);

// The body of a discovery request: base64 of the text `ping`, as go-choria
// sends it. Nodes decode it back to `ping` and reply with a bare `pong`.
[[nodiscard]] std::string discovery_rpc_body();

// Decodes a request or reply `message` the way nodes do: when the text is
// standard base64 whose decoded bytes are printable UTF-8, returns those
// bytes, otherwise the text as it is. A JSON body never decodes, because `{`
// is not a base64 character, and neither do `ping` and `pong`, whose decoded
// bytes are not UTF-8.
[[nodiscard]] std::string decode_rpc_message(std::string_view message);

// choria:request:1 text with the RPC body embedded as plain JSON text.
[[nodiscard]] std::string encode_request(const envelope& env,
                                         std::string_view rpc_body);

// An X.509 certificate with its RSA private key, loaded from PEM files.
// The key may be PKCS#1 or PKCS#8. Immutable after load; thread safe.
class signing_identity {
 public:
  // Loads both files and checks that the key belongs to the certificate.
  // On failure returns nullopt with *error naming the file and the reason.
  [[nodiscard]] static std::optional<signing_identity> load(
      const std::string& cert_path, const std::string& key_path,
      std::string* error);

  // base64(RSA-PKCS1v15(SHA-256(message))). Returns an empty string only if
  // OpenSSL fails, which a node then rejects as a bad signature.
  [[nodiscard]] std::string sign(std::string_view message) const;

  // The certificate file's PEM blocks, re-encoded: the leaf first, then any
  // intermediates. Sent as pubcert.
  [[nodiscard]] const std::string& certificate_pem() const;
  // The certificate's common name, for example "gw.privileged.choria".
  [[nodiscard]] const std::string& certname() const;

  // Out of line because the OpenSSL handles are opaque here.
  signing_identity(signing_identity&&) noexcept;
  signing_identity& operator=(signing_identity&&) noexcept;
  ~signing_identity();

 private:
  struct impl;
  explicit signing_identity(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

// choria:secure:request:1 text around request_text, signed by identity.
[[nodiscard]] std::string encode_secure_request(
    std::string_view request_text, const signing_identity& identity);

// The "reply-to" and "mc_sender" transport headers. An empty value is left
// out of the JSON, since the schema requires both to be non-empty when sent.
struct transport_headers {
  std::string reply_to;   // subject the nodes publish replies to
  std::string mc_sender;  // sender identity
};

// choria:transport:1 text: the NATS payload.
[[nodiscard]] std::string encode_transport(std::string_view secure_text,
                                           const transport_headers& headers);

// The subject replies for the gateway arrive on:
// <collective>.reply.<hex md5 of caller_id>.<request_id>. go-choria hashes
// the callerid of the request, for example "choria=alice".
[[nodiscard]] std::string reply_subject(std::string_view collective,
                                        std::string_view caller_id,
                                        std::string_view request_id);
// <collective>.broadcast.agent.<agent>
[[nodiscard]] std::string broadcast_subject(std::string_view collective,
                                            std::string_view agent);
// <collective>.node.<identity>
[[nodiscard]] std::string node_subject(std::string_view collective,
                                       std::string_view identity);

// The reason a decoder rejected a reply or request.
enum class decode_error {
  malformed_transport,  // not JSON, wrong protocol, data not base64
  malformed_secure,     // secure layer not JSON or a field missing
  bad_hash,             // reply hash does not match its message
  malformed_message,    // inner request or reply not valid
};
[[nodiscard]] std::string_view to_string(decode_error error);

// A reply as the gateway receives it; the hash is already checked.
struct reply {
  std::string request_id;
  std::string sender_id;
  std::string agent;
  std::int64_t time = 0;
  // The RPC reply, parsed when it is JSON ({"statuscode","statusmsg",
  // "data"}); a non-JSON body such as the discovery agent's bare `pong` is
  // kept as a string in body. A base64 message is decoded first, as by
  // decode_rpc_message.
  nlohmann::json body;
  bool body_is_json = false;
};

struct reply_result {
  std::optional<reply> value;
  // Meaningful only when value is empty.
  decode_error error = decode_error::malformed_transport;
};
// Decodes a reply and checks its hash. Malformed input is reported through
// reply_result::error, never by an exception.
[[nodiscard]] reply_result decode_reply(std::string_view nats_payload);

// Encodes a reply as a node does: reply text with envelope
// {requestid,senderid,agent,time}, the secure reply with its SHA-256 hash,
// and the transport. rpc_reply_text is sent as it is (JSON or bare text).
[[nodiscard]] std::string encode_reply(std::string_view request_id,
                                       std::string_view sender_id,
                                       std::string_view agent,
                                       std::int64_t time,
                                       std::string_view rpc_reply_text);

// A request as a node receives it, before any security check.
struct received_request {
  transport_headers headers;
  std::string secure_message;  // the exact signed bytes
  std::string signature;       // base64 as sent
  std::string pubcert;         // PEM as sent
  envelope env;
  std::string rpc_body;  // after the base64-then-raw fallback
};

struct request_result {
  std::optional<received_request> value;
  // Meaningful only when value is empty.
  decode_error error = decode_error::malformed_transport;
};
// Decodes every layer of a request without checking its signature, which
// node_verifier does. Missing transport headers are left empty. Malformed
// input is reported through request_result::error, never by an exception.
[[nodiscard]] request_result decode_request(std::string_view nats_payload);

}  // namespace gateway::choria

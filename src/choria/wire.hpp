// Helpers shared by the protocol encoders and decoders. Internal to
// gateway_choria.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/choria/protocol.hpp"

namespace gateway::choria::detail {

inline constexpr std::string_view transport_protocol = "choria:transport:1";
inline constexpr std::string_view secure_request_protocol =
    "choria:secure:request:1";
inline constexpr std::string_view secure_reply_protocol =
    "choria:secure:reply:1";
inline constexpr std::string_view request_protocol = "choria:request:1";
inline constexpr std::string_view reply_protocol = "choria:reply:1";

// Compact JSON text. Invalid UTF-8 in strings becomes U+FFFD instead of
// throwing, so the result is always valid UTF-8.
std::string dump_json(const nlohmann::json& value);

// Parses untrusted text as a JSON object; nullopt when it is not JSON or
// not an object. Never throws.
std::optional<nlohmann::json> parse_object(std::string_view text);

// The string at object[key], or nullopt when missing or not a string.
std::optional<std::string> string_field(const nlohmann::json& object,
                                        const char* key);

// True when object["protocol"] equals protocol.
bool has_protocol(const nlohmann::json& object, std::string_view protocol);

struct parsed_transport {
  transport_headers headers;
  std::string data;  // the secure layer's text, base64-decoded
};

// Parses the transport layer. nullopt when it is not JSON, has another
// protocol, lacks the headers object or a header has the wrong type, or
// when data is not base64.
std::optional<parsed_transport> parse_transport(std::string_view payload);

}  // namespace gateway::choria::detail

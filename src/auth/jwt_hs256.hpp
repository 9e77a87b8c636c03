// The JWS compact form with HS256, the part of RFC 7515 and RFC 7518 that
// token_authority needs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gateway::auth {

// The three base64url parts of a compact JWS, viewing the token.
struct jwt_parts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // "header.payload", what the HMAC covers
};

// Splits a token at its two dots. Returns nullopt unless there are exactly
// two dots, the header and payload are non-empty and every character is in
// the base64url alphabet. The signature may be empty, as in alg "none"
// tokens, so that the caller can name that case.
[[nodiscard]] std::optional<jwt_parts> split_jwt(std::string_view token);

// HMAC-SHA-256 of `data` under `key`, raw 32 bytes.
[[nodiscard]] std::string hmac_sha256(std::string_view key,
                                      std::string_view data);

// Serializes, encodes and signs a token with HS256.
[[nodiscard]] std::string sign_jwt(const nlohmann::json& header,
                                   const nlohmann::json& payload,
                                   std::string_view key);

}  // namespace gateway::auth

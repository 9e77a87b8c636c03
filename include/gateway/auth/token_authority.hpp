// Bearer tokens: JWTs signed with HS256 (HMAC-SHA-256) under the gateway's
// own secret, and their revocation.
//
// The JWT code is written here over OpenSSL's HMAC rather than taken from
// libjwt 1.10 or cpp-jwt 1.4. The gateway only reads tokens it issued, so it
// needs one algorithm and five claims. A parser of its own checks the
// algorithm before anything else and gives each rejection its own code,
// whereas libjwt's jwt_decode reports every failure as the same errno.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/auth/revocation_set.hpp"

namespace gateway::auth {

struct token_settings {
  std::string issuer = "choria-rest-gateway";  // the "iss" claim
  std::int64_t lifetime_seconds = 3600;        // exp - iat of issued tokens
  // Tolerated difference between the clocks of this and other gateways.
  std::int64_t clock_skew_seconds = 30;
};

struct issued_token {
  std::string token;        // header.payload.signature
  std::string jti;          // 32 lowercase hex digits (128 random bits)
  std::int64_t expires_at;  // unix seconds
};

struct token_claims {
  std::string issuer;       // iss
  std::string subject;      // sub: the username
  std::string jti;          // jti
  std::int64_t issued_at;   // iat, unix seconds
  std::int64_t expires_at;  // exp, unix seconds
};

// Reasons for verify to reject a token.
enum class token_error {
  malformed,           // not three base64url parts, or too long
  invalid_base64,      // a part is not valid base64url
  invalid_json,        // header or payload is not a JSON object
  invalid_header,      // a "typ" other than JWT, or a "crit" header
  alg_none,            // "alg" is "none" in any letter case
  unsupported_alg,     // "alg" is missing or anything but HS256
  signature_mismatch,  // HMAC does not match: tampered or another key
  missing_claim,       // iss, sub, iat, exp or jti is absent
  invalid_claim,       // a claim has the wrong type or an invalid value
  wrong_issuer,        // iss is not this gateway's issuer
  expired,             // exp <= now - clock skew
  issued_in_future,    // iat > now + clock skew
  revoked,             // the jti was revoked
};

// The name of the code, such as "signature_mismatch", for logs and metrics.
[[nodiscard]] std::string_view to_string(token_error error);

// The result of verify: the claims, or an error code and a message. The
// message names the failed check and claim but never contains the token.
class token_verification {
 public:
  static token_verification success(token_claims claims);
  static token_verification failure(token_error error, std::string message);

  [[nodiscard]] bool ok() const { return claims_.has_value(); }
  explicit operator bool() const { return ok(); }
  // Valid only when ok().
  [[nodiscard]] const token_claims& claims() const { return *claims_; }
  // Valid only when !ok().
  [[nodiscard]] token_error error() const { return error_; }
  [[nodiscard]] const std::string& message() const { return message_; }

 private:
  std::optional<token_claims> claims_;
  token_error error_ = token_error::malformed;
  std::string message_;
};

// Issues and verifies tokens. issue, verify, revoke and is_revoked are safe
// to call concurrently from any thread.
class token_authority {
 public:
  // Returns nullptr and sets *error when the secret is shorter than 32
  // bytes, the issuer is empty, the lifetime is not positive or the skew is
  // negative.
  [[nodiscard]] static std::unique_ptr<token_authority> create(
      std::string secret, token_settings settings, std::string* error);

  // Issues a token for `username` valid from `now` (unix seconds) for the
  // configured lifetime, with a fresh random jti.
  [[nodiscard]] issued_token issue(std::string_view username,
                                   std::int64_t now) const;

  // Checks a token at time `now` (unix seconds). The signature is checked
  // before the payload is parsed, and compared in constant time.
  [[nodiscard]] token_verification verify(std::string_view token,
                                          std::int64_t now) const;

  void revoke(std::string_view jti, std::int64_t expires_at);
  [[nodiscard]] bool is_revoked(std::string_view jti) const;
  // Forgets revocations of tokens that expired before now minus the skew.
  std::size_t prune_revocations(std::int64_t now);

  [[nodiscard]] const token_settings& settings() const { return settings_; }

  // Tokens longer than this are rejected as malformed before decoding.
  static constexpr std::size_t max_token_bytes = 4096;

 private:
  token_authority(std::string secret, token_settings settings);

  token_verification check_claims(const token_claims& claims,
                                  std::int64_t now) const;

  const std::string secret_;
  const token_settings settings_;
  revocation_set revocations_;
};

}  // namespace gateway::auth

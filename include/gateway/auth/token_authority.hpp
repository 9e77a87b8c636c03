// Bearer tokens: JWTs signed with HS256 (HMAC-SHA-256) under the gateway's
// own secret, and their revocation.
//
// The JWT code is written here over OpenSSL's HMAC rather than taken from
// libjwt 1.10 or cpp-jwt 1.4. The gateway only reads tokens it issued, so it
// needs one algorithm and five claims. A parser of its own checks the
// algorithm before anything else and gives each rejection its own code,
// whereas libjwt's jwt_decode reports every failure as the same errno.
//
// Key rotation: the authority holds one or more secrets. The first signs
// every new token; all of them verify. Each token names its key in the
// header's "kid", the first 16 hex digits of the SHA-256 of the secret, so
// verification picks the key without trying them in turn, and a token
// whose kid names no configured key is rejected.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  std::string issuer;            // iss
  std::string subject;           // sub: the username
  std::string jti;               // jti
  std::int64_t issued_at = 0;    // iat, unix seconds
  std::int64_t expires_at = 0;   // exp, unix seconds
  std::uint64_t generation = 0;  // gen: the user's token generation
  std::string key_id;            // kid from the header
};

// Reasons for verify to reject a token.
enum class token_error {
  malformed,           // not three base64url parts, or too long
  invalid_base64,      // a part is not valid base64url
  invalid_json,        // header or payload is not a JSON object
  invalid_header,      // a "typ" other than JWT, or a "crit" header
  alg_none,            // "alg" is "none" in any letter case
  unsupported_alg,     // "alg" is missing or anything but HS256
  unknown_key,         // "kid" is missing or names no configured secret
  signature_mismatch,  // HMAC does not match: tampered or another key
  missing_claim,       // iss, sub, iat, exp, jti or gen is absent
  invalid_claim,       // a claim has the wrong type or an invalid value,
                       // exp - iat exceeds the lifetime, or gen is above
                       // the user's current generation
  wrong_issuer,        // iss is not this gateway's issuer
  expired,             // exp <= now - clock skew
  issued_in_future,    // iat > now + clock skew
  revoked,             // the jti was revoked, or gen is below the user's
};

// The key id of a secret: the first 16 hex digits of its SHA-256.
[[nodiscard]] std::string token_key_id(std::string_view secret);

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
  // `secrets` holds the signing secret first, then older secrets that
  // only verify. Returns nullptr and sets *error when there is no secret, a
  // secret is shorter than 32 bytes, two secrets are equal, the issuer is
  // empty, the lifetime is not positive or the skew is negative.
  [[nodiscard]] static std::unique_ptr<token_authority> create(
      std::vector<std::string> secrets, token_settings settings,
      std::string* error);
  // The same with a single secret.
  [[nodiscard]] static std::unique_ptr<token_authority> create(
      std::string secret, token_settings settings, std::string* error);

  // Issues a token for `username` valid from `now` (unix seconds) for the
  // configured lifetime, with a fresh random jti, the user's current
  // generation, and the signing secret's kid.
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

  // Revokes every token issued to `username` so far and returns the user's
  // new generation, which tokens issued from now on carry.
  std::uint64_t revoke_user(std::string_view username);
  // Raises the user's generation to at least `generation`, for replaying a
  // revocation recorded by revoke_user.
  void restore_user_revocation(std::string_view username,
                               std::uint64_t generation);
  [[nodiscard]] std::uint64_t user_generation(std::string_view username) const;

  // The kid of each secret, the signing one first.
  [[nodiscard]] std::vector<std::string> key_ids() const;

  [[nodiscard]] const token_settings& settings() const { return settings_; }

  // Tokens longer than this are rejected as malformed before decoding.
  static constexpr std::size_t max_token_bytes = 4096;

 private:
  struct signing_key {
    std::string id;  // kid
    std::string secret;
  };

  token_authority(std::vector<signing_key> keys, token_settings settings);

  [[nodiscard]] const signing_key* find_key(std::string_view key_id) const;
  token_verification check_claims(const token_claims& claims,
                                  std::int64_t now) const;

  const std::vector<signing_key> keys_;  // never empty; keys_[0] signs
  const token_settings settings_;
  revocation_set revocations_;
};

}  // namespace gateway::auth

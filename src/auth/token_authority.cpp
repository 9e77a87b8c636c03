#include "gateway/auth/token_authority.hpp"

#include <cctype>
#include <limits>

#include <nlohmann/json.hpp>

#include "gateway/common/encoding.hpp"
#include "src/auth/jwt_hs256.hpp"

namespace gateway::auth {
namespace {

using nlohmann::json;

std::string lowercase(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Decodes one base64url part into a JSON object, or returns the failure.
std::optional<token_verification> decode_object(std::string_view part,
                                                std::string_view name,
                                                json& out) {
  const auto text = base64url_decode(part);
  if (!text)
    return token_verification::failure(
        token_error::invalid_base64,
        "token " + std::string(name) + " is not valid base64url");
  out = json::parse(*text, nullptr, false);
  if (out.is_discarded() || !out.is_object())
    return token_verification::failure(
        token_error::invalid_json,
        "token " + std::string(name) + " is not a JSON object");
  return std::nullopt;
}

// Accepts only {"alg": "HS256"} with an optional "typ": "JWT".
std::optional<token_verification> check_header(const json& header) {
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string())
    return token_verification::failure(token_error::unsupported_alg,
                                       "token header has no \"alg\" string");
  const auto name = alg->get<std::string>();
  if (lowercase(name) == "none")
    return token_verification::failure(token_error::alg_none,
                                       "token is unsigned (alg none)");
  if (name != "HS256")
    return token_verification::failure(
        token_error::unsupported_alg,
        "token alg " + json(name).dump() + " is not HS256");

  const auto typ = header.find("typ");
  if (typ != header.end() && *typ != "JWT")
    return token_verification::failure(token_error::invalid_header,
                                       "token typ is not \"JWT\"");
  if (header.contains("crit"))
    return token_verification::failure(
        token_error::invalid_header,
        "token header has \"crit\" extensions, which are not supported");
  const auto kid = header.find("kid");
  if (kid == header.end() || !kid->is_string())
    return token_verification::failure(token_error::unknown_key,
                                       "token header has no \"kid\" string");
  return std::nullopt;
}

std::optional<token_verification> read_string_claim(const json& payload,
                                                    const char* name,
                                                    std::string& out) {
  const auto found = payload.find(name);
  if (found == payload.end())
    return token_verification::failure(
        token_error::missing_claim,
        std::string("token has no \"") + name + "\" claim");
  if (!found->is_string() || found->get<std::string>().empty())
    return token_verification::failure(
        token_error::invalid_claim,
        std::string("token claim \"") + name + "\" is not a non-empty string");
  out = found->get<std::string>();
  return std::nullopt;
}

std::optional<token_verification> read_time_claim(const json& payload,
                                                  const char* name,
                                                  std::int64_t& out) {
  const auto found = payload.find(name);
  if (found == payload.end())
    return token_verification::failure(
        token_error::missing_claim,
        std::string("token has no \"") + name + "\" claim");
  const bool too_large =
      found->is_number_unsigned() &&
      found->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!found->is_number_integer() || too_large)
    return token_verification::failure(
        token_error::invalid_claim, std::string("token claim \"") + name +
                                        "\" is not an integer of unix seconds");
  out = found->get<std::int64_t>();
  return std::nullopt;
}

std::optional<token_verification> read_generation(const json& payload,
                                                 std::uint64_t& out) {
  const auto found = payload.find("gen");
  if (found == payload.end())
    return token_verification::failure(token_error::missing_claim,
                                       "token has no \"gen\" claim");
  if (!found->is_number_unsigned())
    return token_verification::failure(
        token_error::invalid_claim,
        "token claim \"gen\" is not a non-negative integer");
  out = found->get<std::uint64_t>();
  return std::nullopt;
}

// Reads the six claims; the first problem found is returned.
std::optional<token_verification> read_claims(const json& payload,
                                              token_claims& claims) {
  if (auto failed = read_string_claim(payload, "iss", claims.issuer))
    return failed;
  if (auto failed = read_string_claim(payload, "sub", claims.subject))
    return failed;
  if (auto failed = read_time_claim(payload, "iat", claims.issued_at))
    return failed;
  if (auto failed = read_time_claim(payload, "exp", claims.expires_at))
    return failed;
  if (auto failed = read_string_claim(payload, "jti", claims.jti))
    return failed;
  if (auto failed = read_generation(payload, claims.generation))
    return failed;
  if (claims.expires_at <= claims.issued_at)
    return token_verification::failure(token_error::invalid_claim,
                                       "token exp is not after its iat");
  return std::nullopt;
}

}  // namespace

std::string_view to_string(token_error error) {
  switch (error) {
    case token_error::malformed:
      return "malformed";
    case token_error::invalid_base64:
      return "invalid_base64";
    case token_error::invalid_json:
      return "invalid_json";
    case token_error::invalid_header:
      return "invalid_header";
    case token_error::alg_none:
      return "alg_none";
    case token_error::unsupported_alg:
      return "unsupported_alg";
    case token_error::unknown_key:
      return "unknown_key";
    case token_error::signature_mismatch:
      return "signature_mismatch";
    case token_error::missing_claim:
      return "missing_claim";
    case token_error::invalid_claim:
      return "invalid_claim";
    case token_error::wrong_issuer:
      return "wrong_issuer";
    case token_error::expired:
      return "expired";
    case token_error::issued_in_future:
      return "issued_in_future";
    case token_error::revoked:
      return "revoked";
  }
  return "unknown";
}

token_verification token_verification::success(token_claims claims) {
  token_verification result;
  result.claims_ = std::move(claims);
  return result;
}

token_verification token_verification::failure(token_error error,
                                               std::string message) {
  token_verification result;
  result.error_ = error;
  result.message_ = std::move(message);
  return result;
}

std::string token_key_id(std::string_view secret) {
  return hex_encode(sha256(secret)).substr(0, 16);
}

std::unique_ptr<token_authority> token_authority::create(
    std::vector<std::string> secrets, token_settings settings,
    std::string* error) {
  std::vector<signing_key> keys;
  for (auto& secret : secrets) {
    if (secret.size() < 32) {
      *error = "each token secret must be at least 32 bytes";
      return nullptr;
    }
    signing_key key{token_key_id(secret), std::move(secret)};
    for (const auto& other : keys) {
      if (other.id == key.id) {
        *error = "two token secrets are the same";
        return nullptr;
      }
    }
    keys.push_back(std::move(key));
  }
  if (keys.empty())
    *error = "at least one token secret is required";
  else if (settings.issuer.empty())
    *error = "the token issuer must not be empty";
  else if (settings.lifetime_seconds <= 0)
    *error = "the token lifetime must be positive";
  else if (settings.clock_skew_seconds < 0)
    *error = "the token clock skew must not be negative";
  else
    return std::unique_ptr<token_authority>(
        new token_authority(std::move(keys), std::move(settings)));
  return nullptr;
}

std::unique_ptr<token_authority> token_authority::create(
    std::string secret, token_settings settings, std::string* error) {
  std::vector<std::string> secrets;
  secrets.push_back(std::move(secret));
  return create(std::move(secrets), std::move(settings), error);
}

token_authority::token_authority(std::vector<signing_key> keys,
                                 token_settings settings)
    : keys_(std::move(keys)), settings_(std::move(settings)) {}

const token_authority::signing_key* token_authority::find_key(
    std::string_view key_id) const {
  for (const auto& key : keys_)
    if (key.id == key_id) return &key;
  return nullptr;
}

issued_token token_authority::issue(std::string_view username,
                                    std::int64_t now) const {
  const std::string jti = hex_encode(random_bytes(16));
  const std::int64_t expires_at = now + settings_.lifetime_seconds;
  const signing_key& key = keys_.front();
  const json header = {{"alg", "HS256"}, {"typ", "JWT"}, {"kid", key.id}};
  const json payload = {{"iss", settings_.issuer},
                        {"sub", std::string(username)},
                        {"iat", now},
                        {"exp", expires_at},
                        {"jti", jti},
                        {"gen", revocations_.user_generation(username)}};
  return {sign_jwt(header, payload, key.secret), jti, expires_at};
}

token_verification token_authority::verify(std::string_view token,
                                           std::int64_t now) const {
  const auto parts =
      token.size() <= max_token_bytes ? split_jwt(token) : std::nullopt;
  if (!parts)
    return token_verification::failure(
        token_error::malformed,
        "token is not three base64url parts joined by dots");

  // The header decides how to check the signature, so it is read first, but
  // nothing in the payload is trusted before the signature matches.
  json header;
  if (auto failed = decode_object(parts->header, "header", header))
    return *failed;
  if (auto failed = check_header(header)) return *failed;
  const auto key_id = header["kid"].get<std::string>();
  const signing_key* key = find_key(key_id);
  if (key == nullptr)
    return token_verification::failure(
        token_error::unknown_key,
        "token kid names no configured key; it was signed with a secret "
        "this gateway no longer has");

  // Comparing the canonical encoding also rejects a signature written with
  // other unused low bits in its last base64url character.
  const auto expected =
      base64url_encode(hmac_sha256(key->secret, parts->signing_input));
  if (!constant_time_equal(expected, parts->signature))
    return token_verification::failure(token_error::signature_mismatch,
                                       "token signature does not match");

  json payload;
  if (auto failed = decode_object(parts->payload, "payload", payload))
    return *failed;
  token_claims claims;
  if (auto failed = read_claims(payload, claims)) return *failed;
  claims.key_id = key_id;
  return check_claims(claims, now);
}

token_verification token_authority::check_claims(const token_claims& claims,
                                                 std::int64_t now) const {
  const auto skew = settings_.clock_skew_seconds;
  if (claims.issuer != settings_.issuer)
    return token_verification::failure(
        token_error::wrong_issuer, "token issuer " +
                                       json(claims.issuer).dump() + " is not " +
                                       json(settings_.issuer).dump());
  if (claims.expires_at <= now - skew)
    return token_verification::failure(token_error::expired, "token expired");
  if (claims.issued_at > now + skew)
    return token_verification::failure(
        token_error::issued_in_future,
        "token iat is later than now plus the clock skew");
  // issue sets exp to iat plus the lifetime, so a longer span was not
  // issued under the current settings.
  if (claims.expires_at - claims.issued_at > settings_.lifetime_seconds)
    return token_verification::failure(
        token_error::invalid_claim,
        "token exp is more than the token lifetime of " +
            std::to_string(settings_.lifetime_seconds) +
            " seconds after its iat");
  if (revocations_.is_revoked(claims.jti))
    return token_verification::failure(token_error::revoked,
                                       "token was revoked");
  const auto generation = revocations_.user_generation(claims.subject);
  if (claims.generation < generation)
    return token_verification::failure(
        token_error::revoked, "every token of this user was revoked");
  // NOTE: gateways that share a secret but not an event log do not see
  // each other's revocations, so one may reject the other's newer tokens.
  if (claims.generation > generation)
    return token_verification::failure(
        token_error::invalid_claim,
        "token gen is above the user's current token generation");
  return token_verification::success(claims);
}

void token_authority::revoke(std::string_view jti, std::int64_t expires_at) {
  revocations_.revoke(jti, expires_at);
}

bool token_authority::is_revoked(std::string_view jti) const {
  return revocations_.is_revoked(jti);
}

std::size_t token_authority::prune_revocations(std::int64_t now) {
  return revocations_.prune(now - settings_.clock_skew_seconds);
}

std::uint64_t token_authority::revoke_user(std::string_view username) {
  return revocations_.advance_user_generation(username);
}

void token_authority::restore_user_revocation(std::string_view username,
                                              std::uint64_t generation) {
  revocations_.raise_user_generation(username, generation);
}

std::uint64_t token_authority::user_generation(
    std::string_view username) const {
  return revocations_.user_generation(username);
}

std::vector<std::string> token_authority::key_ids() const {
  std::vector<std::string> ids;
  for (const auto& key : keys_) ids.push_back(key.id);
  return ids;
}

}  // namespace gateway::auth

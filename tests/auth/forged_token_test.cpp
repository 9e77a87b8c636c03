// Forged and malformed tokens against an authority with a current and a
// previous secret, one table row per attack, plus key rotation.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "gateway/auth/token_authority.hpp"
#include "gateway/common/encoding.hpp"

namespace gateway::auth {
namespace {

using nlohmann::json;

const std::string current_secret(32, 'c');
const std::string previous_secret(40, 'p');
const std::string unknown_secret(32, 'u');
constexpr std::int64_t now = 1'800'000'000;
constexpr std::int64_t skew = 60;

std::unique_ptr<token_authority> make_authority(
    std::vector<std::string> secrets = {current_secret, previous_secret}) {
  token_settings settings;
  settings.clock_skew_seconds = skew;
  std::string error;
  auto authority = token_authority::create(std::move(secrets), settings,
                                           &error);
  EXPECT_NE(authority, nullptr) << error;
  return authority;
}

// Encodes header and payload text as given and signs them with `digest`
// under `key`; a null digest leaves the signature empty.
std::string sign(const std::string& header, const std::string& payload,
                 const std::string& key, const EVP_MD* digest) {
  const std::string input =
      base64url_encode(header) + "." + base64url_encode(payload);
  if (digest == nullptr) return input + ".";
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(digest, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
       &length);
  return input + "." +
         base64url_encode(
             std::string(reinterpret_cast<const char*>(mac), length));
}

json header_for(const std::string& secret, const char* alg = "HS256") {
  return {{"alg", alg}, {"typ", "JWT"}, {"kid", token_key_id(secret)}};
}

// Claims as issue writes them, with the default lifetime of 3600 s.
json claims() {
  return {{"iss", "choria-rest-gateway"},
          {"sub", "alice"},
          {"iat", now - 10},
          {"exp", now - 10 + 3600},
          {"jti", "00112233445566778899aabbccddeeff"},
          {"gen", 0}};
}

json without(json value, const char* name) {
  value.erase(name);
  return value;
}

json with(json value, const char* name, json field) {
  value[name] = std::move(field);
  return value;
}

struct forged_case {
  const char* name;
  json header;
  json payload;
  std::string key;
  const EVP_MD* digest;
  token_error expected;
};

std::vector<forged_case> forged_cases() {
  const auto current = header_for(current_secret);
  return {
      {"alg none, unsigned", {{"alg", "none"}, {"typ", "JWT"}}, claims(), "",
       nullptr, token_error::alg_none},
      {"alg NONE with a kid", with(current, "alg", "NONE"), claims(), "",
       nullptr, token_error::alg_none},
      {"alg none with a valid signature", with(current, "alg", "none"),
       claims(), current_secret, EVP_sha256(), token_error::alg_none},
      {"alg HS512 with the right key", header_for(current_secret, "HS512"),
       claims(), current_secret, EVP_sha512(), token_error::unsupported_alg},
      {"alg HS384", header_for(current_secret, "HS384"), claims(),
       current_secret, EVP_sha384(), token_error::unsupported_alg},
      {"alg RS256 keyed with the secret", header_for(current_secret, "RS256"),
       claims(), current_secret, EVP_sha256(), token_error::unsupported_alg},
      {"alg lowercase hs256", header_for(current_secret, "hs256"), claims(),
       current_secret, EVP_sha256(), token_error::unsupported_alg},
      {"alg missing", without(current, "alg"), claims(), current_secret,
       EVP_sha256(), token_error::unsupported_alg},
      {"alg not a string", with(current, "alg", 256), claims(),
       current_secret, EVP_sha256(), token_error::unsupported_alg},
      {"kid missing", without(current, "kid"), claims(), current_secret,
       EVP_sha256(), token_error::unknown_key},
      {"kid not a string", with(current, "kid", 1), claims(), current_secret,
       EVP_sha256(), token_error::unknown_key},
      {"kid of an unknown secret", header_for(unknown_secret), claims(),
       unknown_secret, EVP_sha256(), token_error::unknown_key},
      {"kid of the current secret, signed by an unknown one", current,
       claims(), unknown_secret, EVP_sha256(),
       token_error::signature_mismatch},
      {"kid of the previous secret, signed by the current one",
       header_for(previous_secret), claims(), current_secret, EVP_sha256(),
       token_error::signature_mismatch},
      {"kid naming the secret itself", with(current, "kid", current_secret),
       claims(), current_secret, EVP_sha256(), token_error::unknown_key},
      {"crit header", with(current, "crit", json::array({"exp"})), claims(),
       current_secret, EVP_sha256(), token_error::invalid_header},
      {"typ JWE", with(current, "typ", "JWE"), claims(), current_secret,
       EVP_sha256(), token_error::invalid_header},
      {"missing iss", current, without(claims(), "iss"), current_secret,
       EVP_sha256(), token_error::missing_claim},
      {"missing sub", current, without(claims(), "sub"), current_secret,
       EVP_sha256(), token_error::missing_claim},
      {"missing iat", current, without(claims(), "iat"), current_secret,
       EVP_sha256(), token_error::missing_claim},
      {"missing exp", current, without(claims(), "exp"), current_secret,
       EVP_sha256(), token_error::missing_claim},
      {"missing jti", current, without(claims(), "jti"), current_secret,
       EVP_sha256(), token_error::missing_claim},
      {"missing gen", current, without(claims(), "gen"), current_secret,
       EVP_sha256(), token_error::missing_claim},
      {"exp as a string", current, with(claims(), "exp", "1800003600"),
       current_secret, EVP_sha256(), token_error::invalid_claim},
      {"sub empty", current, with(claims(), "sub", ""), current_secret,
       EVP_sha256(), token_error::invalid_claim},
      {"exp before iat", current, with(claims(), "exp", now - 20),
       current_secret, EVP_sha256(), token_error::invalid_claim},
      {"other issuer", current, with(claims(), "iss", "evil"), current_secret,
       EVP_sha256(), token_error::wrong_issuer},
      {"expired beyond the skew", current,
       with(with(claims(), "iat", now - 7200), "exp", now - skew),
       current_secret, EVP_sha256(), token_error::expired},
      {"not yet valid beyond the skew", current,
       with(with(claims(), "iat", now + skew + 1), "exp", now + 7200),
       current_secret, EVP_sha256(), token_error::issued_in_future},
      {"payload an array", current, json::array({"alice"}), current_secret,
       EVP_sha256(), token_error::invalid_json},
      {"exp one second beyond the lifetime", current,
       with(claims(), "exp", now - 10 + 3601), current_secret, EVP_sha256(),
       token_error::invalid_claim},
      {"exp a year away", current, with(claims(), "exp", now + 366 * 24 * 3600),
       current_secret, EVP_sha256(), token_error::invalid_claim},
      {"gen above the user's", current, with(claims(), "gen", 1),
       current_secret, EVP_sha256(), token_error::invalid_claim},
  };
}

TEST(ForgedToken, EveryCaseRejectedWithItsCode) {
  const auto authority = make_authority();
  for (const auto& entry : forged_cases()) {
    const auto token =
        sign(entry.header.dump(), entry.payload.dump(), entry.key,
             entry.digest);
    const auto result = authority->verify(token, now);
    ASSERT_FALSE(result.ok()) << entry.name;
    EXPECT_EQ(to_string(result.error()), to_string(entry.expected))
        << entry.name << ": " << result.message();
    EXPECT_EQ(result.message().find(token), std::string::npos) << entry.name;
  }
}

TEST(ForgedToken, ControlCasesAccepted) {
  const auto authority = make_authority();
  const json accepted[] = {
      claims(),
      with(with(claims(), "iat", now - 3600), "exp", now - skew + 1),
      with(claims(), "iat", now + skew),
  };
  for (const auto& payload : accepted) {
    const auto token = sign(header_for(current_secret).dump(), payload.dump(),
                            current_secret, EVP_sha256());
    const auto result = authority->verify(token, now);
    EXPECT_TRUE(result.ok()) << payload.dump() << ": " << result.message();
  }
}

TEST(ForgedToken, MalformedTextRejected) {
  const auto authority = make_authority();
  const auto valid = sign(header_for(current_secret).dump(), claims().dump(),
                          current_secret, EVP_sha256());
  const std::pair<std::string, token_error> cases[] = {
      {"", token_error::malformed},
      {"Bearer " + valid, token_error::malformed},
      {valid + ".", token_error::malformed},
      {valid + "=", token_error::malformed},
      {valid.substr(0, valid.rfind('.')), token_error::malformed},
      {std::string(5000, 'a') + "." + valid, token_error::malformed},
      {"!!!." + valid.substr(valid.find('.') + 1), token_error::malformed},
      {"e30." + valid.substr(valid.find('.') + 1),
       token_error::unsupported_alg},
      {"A." + valid.substr(valid.find('.') + 1), token_error::invalid_base64},
      {valid.substr(0, valid.size() - 2) + "AA",
       token_error::signature_mismatch},
  };
  for (const auto& [token, expected] : cases) {
    const auto result = authority->verify(token, now);
    ASSERT_FALSE(result.ok()) << token.substr(0, 80);
    EXPECT_EQ(to_string(result.error()), to_string(expected))
        << token.substr(0, 80) << ": " << result.message();
  }
}

TEST(ForgedToken, PreviousSecretVerifiesButDoesNotSign) {
  const auto old_authority = make_authority({previous_secret});
  const auto old_token = old_authority->issue("alice", now);

  const auto rotated = make_authority();
  const auto result = rotated->verify(old_token.token, now);
  ASSERT_TRUE(result.ok()) << result.message();
  EXPECT_EQ(result.claims().key_id, token_key_id(previous_secret));

  const auto fresh = rotated->issue("alice", now);
  const auto fresh_result = rotated->verify(fresh.token, now);
  ASSERT_TRUE(fresh_result.ok()) << fresh_result.message();
  EXPECT_EQ(fresh_result.claims().key_id, token_key_id(current_secret));
  EXPECT_EQ(rotated->key_ids(),
            (std::vector<std::string>{token_key_id(current_secret),
                                      token_key_id(previous_secret)}));
}

TEST(ForgedToken, DroppedSecretNoLongerVerifies) {
  const auto old_token = make_authority({previous_secret})->issue("bob", now);
  const auto result = make_authority({current_secret})->verify(old_token.token,
                                                              now);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), token_error::unknown_key);
}

TEST(ForgedToken, CreateRejectsDuplicateOrShortSecrets) {
  std::string error;
  EXPECT_EQ(token_authority::create(
                std::vector<std::string>{current_secret, current_secret}, {},
                &error),
            nullptr);
  EXPECT_NE(error.find("same"), std::string::npos) << error;
  EXPECT_EQ(token_authority::create(
                std::vector<std::string>{current_secret, "short"}, {}, &error),
            nullptr);
  EXPECT_EQ(token_authority::create(std::vector<std::string>{}, {}, &error),
            nullptr);
}

TEST(ForgedToken, UserRevocationRejectsOlderTokensOnly) {
  const auto authority = make_authority();
  const auto before = authority->issue("alice", now);
  const auto other_user = authority->issue("bob", now);
  EXPECT_EQ(authority->revoke_user("alice"), 1u);
  const auto after = authority->issue("alice", now);

  const auto old_result = authority->verify(before.token, now);
  ASSERT_FALSE(old_result.ok());
  EXPECT_EQ(old_result.error(), token_error::revoked);
  EXPECT_TRUE(authority->verify(after.token, now).ok());
  EXPECT_TRUE(authority->verify(other_user.token, now).ok());
}

TEST(ForgedToken, RestoredUserRevocationKeepsHighestGeneration) {
  const auto authority = make_authority();
  authority->restore_user_revocation("alice", 3);
  authority->restore_user_revocation("alice", 2);
  EXPECT_EQ(authority->user_generation("alice"), 3u);
  auto forged = claims();
  forged["gen"] = 2;
  const auto token = sign(header_for(current_secret).dump(), forged.dump(),
                          current_secret, EVP_sha256());
  EXPECT_EQ(authority->verify(token, now).error(), token_error::revoked);
}

}  // namespace
}  // namespace gateway::auth

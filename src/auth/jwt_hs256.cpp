#include "src/auth/jwt_hs256.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdlib>

#include "gateway/common/encoding.hpp"

namespace gateway::auth {
namespace {

bool is_base64url(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

std::optional<jwt_parts> split_jwt(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos ||
      token.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;

  jwt_parts parts{token.substr(0, first),
                  token.substr(first + 1, second - first - 1),
                  token.substr(second + 1), token.substr(0, second)};
  if (parts.header.empty() || parts.payload.empty()) return std::nullopt;
  if (!is_base64url(parts.header) || !is_base64url(parts.payload) ||
      !is_base64url(parts.signature))
    return std::nullopt;
  return parts;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const auto* result =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           digest, &length);
  // HMAC returns null only on an internal OpenSSL failure, such as no memory
  // or no SHA-256 in the loaded providers, and then no token can be made.
  if (result == nullptr) std::abort();
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string sign_jwt(const nlohmann::json& header,
                     const nlohmann::json& payload, std::string_view key) {
  std::string token = base64url_encode(header.dump());
  token += '.';
  token += base64url_encode(payload.dump());
  const std::string signature = hmac_sha256(key, token);
  token += '.';
  token += base64url_encode(signature);
  return token;
}

}  // namespace gateway::auth

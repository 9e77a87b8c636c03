// Fuzzes token verification. An input starting with byte 0 holds a header
// and a payload separated by a newline, which are signed with the
// authority's secret first, so that the claim checks behind the signature
// are reached too; any other input is verified as it is.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/auth/token_authority.hpp"
#include "gateway/common/encoding.hpp"
#include "src/auth/jwt_hs256.hpp"

namespace {

using gateway::auth::token_authority;

const std::string current_secret(32, 'c');
const std::string previous_secret(32, 'p');
constexpr std::int64_t now = 1'800'000'000;

const token_authority& authority() {
  static const auto instance = [] {
    std::string error;
    return token_authority::create(
        std::vector<std::string>{current_secret, previous_secret}, {},
        &error);
  }();
  return *instance;
}

std::string sign_parts(std::string_view text) {
  const auto newline = text.find('\n');
  const auto header = text.substr(0, newline);
  const auto payload =
      newline == std::string_view::npos ? std::string_view{}
                                        : text.substr(newline + 1);
  std::string token = gateway::base64url_encode(header) + "." +
                      gateway::base64url_encode(payload);
  const auto mac = gateway::auth::hmac_sha256(current_secret, token);
  return token + "." + gateway::base64url_encode(mac);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string token;
  if (!text.empty() && text.front() == '\0')
    token = sign_parts(text.substr(1));
  else
    token = std::string(text);

  const auto result = authority().verify(token, now);
  if (!result.ok()) {
    // A rejection never echoes the token. Only a token with a dot is
    // checked, because fixed message text such as "three base64url parts"
    // is itself a dotless input that the message contains.
    if (token.find('.') != std::string::npos &&
        result.message().find(token) != std::string::npos)
      __builtin_trap();
    return 0;
  }
  if (result.claims().subject.empty() || result.claims().jti.empty())
    __builtin_trap();
  return 0;
}

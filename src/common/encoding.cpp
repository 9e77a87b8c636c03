#include "gateway/common/encoding.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>

namespace gateway {

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int written = EVP_EncodeBlock(
      reinterpret_cast<unsigned char*>(out.data()),
      reinterpret_cast<const unsigned char*>(bytes.data()),
      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    bool valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                 (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
    if (!valid) return std::nullopt;
    compact.push_back(c);
  }
  if (compact.size() % 4 != 0) return std::nullopt;
  auto first_pad = compact.find('=');
  if (first_pad != std::string::npos &&
      (first_pad + 2 < compact.size() ||
       compact.find_first_not_of('=', first_pad) != std::string::npos))
    return std::nullopt;

  std::string out(3 * compact.size() / 4, '\0');
  int written = EVP_DecodeBlock(
      reinterpret_cast<unsigned char*>(out.data()),
      reinterpret_cast<const unsigned char*>(compact.data()),
      static_cast<int>(compact.size()));
  if (written < 0) return std::nullopt;

  // EVP_DecodeBlock counts padding as zero bytes; drop them.
  auto padding = static_cast<std::size_t>(
      std::count(compact.end() - std::min<std::size_t>(2, compact.size()),
                 compact.end(), '='));
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  std::string out = base64_encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string standard(text);
  for (char& c : standard) {
    if (c == '+' || c == '/' || c == '=') return std::nullopt;
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
  }
  if (standard.size() % 4 == 1) return std::nullopt;
  while (standard.size() % 4 != 0) standard.push_back('=');
  return base64_decode(standard);
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0x0f]);
  }
  return out;
}

namespace {

std::string digest(const EVP_MD* type, std::string_view bytes) {
  unsigned char buffer[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), buffer, &length, type,
                 nullptr) != 1)
    std::abort();
  return std::string(reinterpret_cast<char*>(buffer), length);
}

}  // namespace

std::string sha256(std::string_view bytes) {
  return digest(EVP_sha256(), bytes);
}

std::string md5(std::string_view bytes) { return digest(EVP_md5(), bytes); }

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()),
                 static_cast<int>(count)) != 1)
    std::abort();
  return out;
}

std::string make_request_id() { return hex_encode(random_bytes(16)); }

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void append_big_endian(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((value >> shift) & 0xff));
}

std::optional<std::uint64_t> read_big_endian(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  std::uint64_t value = 0;
  for (unsigned char c : bytes) value = (value << 8) | c;
  return value;
}

}  // namespace gateway

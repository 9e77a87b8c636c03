#include "src/storage/keys.hpp"

#include "gateway/common/encoding.hpp"

namespace gateway::storage::keys {
namespace {

constexpr char cursor_version = 1;
constexpr std::size_t cursor_digest_size = 4;

}  // namespace

std::string sequence_key(std::uint64_t sequence) {
  std::string key;
  append_big_endian(key, sequence);
  return key;
}

std::string reply_prefix(std::string_view request_id) {
  std::string prefix(request_id);
  prefix.push_back('\0');
  return prefix;
}

std::string reply_key(std::string_view request_id, std::uint64_t sequence) {
  std::string key = reply_prefix(request_id);
  append_big_endian(key, sequence);
  return key;
}

std::string reply_upper_bound(std::string_view request_id) {
  std::string bound(request_id);
  bound.push_back('\1');
  return bound;
}

std::string expected_nodes_key(std::string_view request_id) {
  return std::string(request_id) + "/expected";
}

std::string revoked_key(std::uint64_t sequence) {
  return std::string(revoked_prefix) + sequence_key(sequence);
}

std::string unfinished_key(std::string_view request_id) {
  return std::string(unfinished_prefix) + std::string(request_id);
}

bool is_valid_request_id(std::string_view request_id) {
  return !request_id.empty() && request_id.find_first_of(std::string_view(
                                    "/\0", 2)) == std::string_view::npos;
}

std::string encode_cursor(std::string_view request_id, std::uint64_t sequence) {
  std::string bytes(1, cursor_version);
  append_big_endian(bytes, sequence);
  bytes += sha256(request_id).substr(0, cursor_digest_size);
  return base64url_encode(bytes);
}

std::optional<std::uint64_t> decode_cursor(std::string_view request_id,
                                           std::string_view cursor) {
  auto bytes = base64url_decode(cursor);
  if (!bytes || bytes->size() != 1 + 8 + cursor_digest_size ||
      (*bytes)[0] != cursor_version)
    return std::nullopt;
  std::string_view view(*bytes);
  if (view.substr(9) != sha256(request_id).substr(0, cursor_digest_size))
    return std::nullopt;
  return read_big_endian(view.substr(1, 8));
}

}  // namespace gateway::storage::keys

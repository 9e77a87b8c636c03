#include "src/storage/index_keys.hpp"

#include <limits>

#include "gateway/common/encoding.hpp"

namespace gateway::storage::index_keys {
namespace {

constexpr char cursor_version = 2;
constexpr std::size_t cursor_digest_size = 4;
constexpr std::uint64_t all_ones = std::numeric_limits<std::uint64_t>::max();

std::string dimension_prefix(char family, std::string_view dimension,
                             std::string_view value) {
  std::string prefix(1, family);
  prefix += '/';
  prefix += dimension;
  prefix += '/';
  prefix += value;
  prefix.push_back('\0');
  return prefix;
}

}  // namespace

std::string encode_order(const order& position) {
  // Times before 1970 sort as 1970; the gateway writes none.
  auto time = static_cast<std::uint64_t>(std::max<std::int64_t>(
      0, position.time_ms));
  std::string bytes;
  append_big_endian(bytes, all_ones - time);
  append_big_endian(bytes, all_ones - position.sequence);
  return bytes;
}

std::optional<order> decode_order(std::string_view key) {
  if (key.size() < order_size) return std::nullopt;
  auto tail = key.substr(key.size() - order_size);
  auto time = read_big_endian(tail.substr(0, 8));
  auto sequence = read_big_endian(tail.substr(8));
  if (!time || !sequence) return std::nullopt;
  return order{static_cast<std::int64_t>(all_ones - *time),
               all_ones - *sequence};
}

std::string history_prefix(std::string_view dimension, std::string_view value) {
  return dimension_prefix('h', dimension, value);
}

std::string audit_prefix(std::string_view dimension, std::string_view value) {
  return dimension_prefix('a', dimension, value);
}

std::string prefix_upper_bound(std::string_view prefix) {
  std::string bound(prefix);
  bound.back() = '\1';
  return bound;
}

std::string request_events_prefix(std::string_view request_id) {
  std::string prefix = "r/";
  prefix += request_id;
  prefix.push_back('\0');
  return prefix;
}

std::string request_event_key(std::string_view request_id,
                              std::uint64_t sequence) {
  std::string key = request_events_prefix(request_id);
  append_big_endian(key, sequence);
  return key;
}

std::string idempotency_key(std::string_view user, std::string_view key) {
  std::string out = "i/";
  out += user;
  out.push_back('\0');
  out += key;
  return out;
}

std::string encode_cursor(std::string_view query_text, const order& position) {
  std::string bytes(1, cursor_version);
  bytes += encode_order(position);
  bytes += sha256(query_text).substr(0, cursor_digest_size);
  return base64url_encode(bytes);
}

std::optional<order> decode_cursor(std::string_view query_text,
                                   std::string_view cursor) {
  auto bytes = base64url_decode(cursor);
  if (!bytes || bytes->size() != 1 + order_size + cursor_digest_size ||
      (*bytes)[0] != cursor_version)
    return std::nullopt;
  std::string_view view(*bytes);
  if (view.substr(1 + order_size) !=
      sha256(query_text).substr(0, cursor_digest_size))
    return std::nullopt;
  return decode_order(view.substr(1, order_size));
}

}  // namespace gateway::storage::index_keys

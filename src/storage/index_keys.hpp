// Key layouts of the "index" column family. Internal to src/storage.
//
//   h/<dimension>/<value>\0<order>  history: one entry per request in
//                                   each of the dimensions all (empty
//                                   value), agent, action, caller and
//                                   state; the value is {"request_id",
//                                   "agent","action","caller"}
//   a/<dimension>/<value>\0<order>  audit: dimensions all, caller, kind;
//                                   the value is the audit record
//   r/<request id>\0<sequence>      every event of a request, for removal
//   i/<user>\0<key>                 idempotency keys:
//                                   {"request_id","hash"}
//   c/requests                      the count of requests, 8 bytes
//
// <order> is 16 bytes: the big-endian complements of the creation time in
// Unix milliseconds and of the sequence, so that a forward scan of one
// prefix lists the newest entry first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gateway::storage::index_keys {

// The position of an entry in a time-ordered index.
struct order {
  std::int64_t time_ms = 0;
  std::uint64_t sequence = 0;
};

inline constexpr std::size_t order_size = 16;

std::string encode_order(const order& position);
// Reads the last order_size bytes of key; nullopt when key is shorter.
std::optional<order> decode_order(std::string_view key);

// The prefix of one dimension value, ending in '\0'.
std::string history_prefix(std::string_view dimension, std::string_view value);
std::string audit_prefix(std::string_view dimension, std::string_view value);

// The first key after every key that starts with prefix, which ends in
// '\0'.
std::string prefix_upper_bound(std::string_view prefix);

std::string request_events_prefix(std::string_view request_id);
std::string request_event_key(std::string_view request_id,
                              std::uint64_t sequence);

std::string idempotency_key(std::string_view user, std::string_view key);

inline constexpr std::string_view request_count_key = "c/requests";

// An opaque history or audit cursor: base64url of a version byte (2), the
// 16 order bytes of the last entry served and the first 4 bytes of the
// SHA-256 of the query's canonical text. A cursor issued for one query is
// therefore invalid for any other.
std::string encode_cursor(std::string_view query_text, const order& position);
std::optional<order> decode_cursor(std::string_view query_text,
                                   std::string_view cursor);

}  // namespace gateway::storage::index_keys

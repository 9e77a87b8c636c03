// Key layouts of the event store's column families and the reply cursor.
// Internal to src/storage. event_store.hpp describes the layouts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gateway::storage::keys {

// events: the 8-byte big-endian sequence, so byte order is log order.
std::string sequence_key(std::uint64_t sequence);

// replies: request id, a '\0' separator, then the sequence. The separator
// keeps one request's prefix from matching a longer request id.
std::string reply_prefix(std::string_view request_id);
std::string reply_key(std::string_view request_id, std::uint64_t sequence);

// The first key after every key that starts with reply_prefix(request_id).
std::string reply_upper_bound(std::string_view request_id);

// requests: the status record is under the request id itself.
std::string expected_nodes_key(std::string_view request_id);

// meta: the index of unfinished requests.
inline constexpr std::string_view unfinished_prefix = "unfinished/";
inline constexpr std::string_view unfinished_upper_bound = "unfinished0";
std::string unfinished_key(std::string_view request_id);

// meta: the index of token_revoked events, keyed by their sequence.
inline constexpr std::string_view revoked_prefix = "revoked/";
inline constexpr std::string_view revoked_upper_bound = "revoked0";
std::string revoked_key(std::uint64_t sequence);

// True if request_id can be used in these keys: not empty, and without '/'
// or '\0'. Choria request ids, 32 lowercase hex characters, always are.
bool is_valid_request_id(std::string_view request_id);

// An opaque reply cursor: base64url of a version byte (1), the big-endian
// sequence of the last reply served and the first 4 bytes of the SHA-256
// of the request id. The digest makes a cursor of one request invalid for
// another. It guards against mistakes and is not a secret.
std::string encode_cursor(std::string_view request_id, std::uint64_t sequence);
std::optional<std::uint64_t> decode_cursor(std::string_view request_id,
                                           std::string_view cursor);

}  // namespace gateway::storage::keys

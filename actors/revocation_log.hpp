// Token revocations as events of the event log, and their replay at start,
// so that a logout or an admin revocation survives a restart.
//
// Two layouts of token_revoked data:
//   {"jti": "<token id>", "expires_at": <unix seconds>}  one token (logout)
//   {"user": "<username>", "generation": <n>}            every older token
//                                                        of a user (admin)
// The event's caller is the user who asked for the revocation.
#pragma once

#include <cstdint>
#include <string>

#include "gateway/auth/token_authority.hpp"
#include "gateway/storage/event.hpp"
#include "gateway/storage/event_store.hpp"

namespace gateway {

[[nodiscard]] storage::event token_revocation_event(
    const std::string& caller, const std::string& jti,
    std::int64_t expires_at, std::int64_t now_ms);

[[nodiscard]] storage::event user_revocation_event(const std::string& caller,
                                                   const std::string& username,
                                                   std::uint64_t generation,
                                                   std::int64_t now_ms);

struct restored_revocations {
  std::size_t tokens = 0;  // single-token revocations still in force
  std::size_t users = 0;   // users with a raised generation
  std::size_t dropped = 0;  // index entries forgotten as no longer needed
};

// Replays the store's revocation index into `tokens` at time `now` (unix
// seconds), and forgets entries of tokens that expired beyond the clock skew
// and user revocations superseded by a later one. Call before the event log
// actor starts, because forgetting writes to the store. Entries with an
// unknown layout are kept and skipped. Returns nullopt and sets *error when
// the index cannot be read or written.
[[nodiscard]] std::optional<restored_revocations> restore_revocations(
    storage::event_store& store, auth::token_authority& tokens,
    std::int64_t now, std::string* error);

}  // namespace gateway

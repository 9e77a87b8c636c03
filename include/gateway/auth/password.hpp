// bcrypt password hashing through libxcrypt's reentrant functions
// (crypt_gensalt_rn and crypt_rn), so every function here is thread safe.
//
// bcrypt reads at most 72 bytes of a password and stops at a NUL byte.
// Rather than let two different passwords share a hash, these functions
// reject passwords longer than 72 bytes or containing a NUL byte: hashing
// fails with an error and verification returns false.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gateway::auth {

inline constexpr int default_bcrypt_cost = 12;
inline constexpr int min_bcrypt_cost = 4;
inline constexpr int max_bcrypt_cost = 31;
inline constexpr std::size_t max_password_bytes = 72;

// Hashes `password` as a "$2b$" bcrypt hash with 2^cost rounds and a fresh
// random salt. Returns nullopt and sets *error (when not null) if the
// password is empty, longer than 72 bytes or contains a NUL byte, if cost is
// outside 4..31, or if libxcrypt fails.
[[nodiscard]] std::optional<std::string> hash_password(
    std::string_view password, int cost = default_bcrypt_cost,
    std::string* error = nullptr);

// Returns whether `password` matches the bcrypt `hash` ("$2a$", "$2b$" or
// "$2y$"), comparing the computed hash in constant time. Returns false
// without running bcrypt when the hash is not a bcrypt hash or the password
// would be rejected by hash_password.
[[nodiscard]] bool verify_password(std::string_view password,
                                   std::string_view hash);

// Returns whether `hash` has the shape of a bcrypt hash: "$2a$", "$2b$" or
// "$2y$", a two-digit cost of 04 to 31, "$", then 53 characters of bcrypt's
// base64 alphabet (22 of salt, 31 of digest).
[[nodiscard]] bool is_bcrypt_hash(std::string_view hash);

// Returns the cost of a bcrypt hash, or -1 when `hash` has no two-digit
// cost after its "$2x$" prefix.
[[nodiscard]] int bcrypt_cost(std::string_view hash);

// How many bcrypt computations this process has run, counting hashing and
// verification. For metrics and for tests that check the work done.
[[nodiscard]] std::uint64_t bcrypt_run_count();

}  // namespace gateway::auth

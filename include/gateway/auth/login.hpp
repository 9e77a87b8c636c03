// Password checks for logins that take the same bcrypt time whether or not
// the username exists, so response times do not reveal valid usernames.
#pragma once

#include <string_view>

#include "gateway/auth/user_directory.hpp"

namespace gateway::auth {

// A cost-12 bcrypt hash of a password that no user has, checked against
// when the username is unknown. Cost 12 matches hash_password's default.
inline constexpr std::string_view default_dummy_hash =
    "$2b$12$Lfx1IcFucvKvGn6FiAHqvubOXL4hsAvP8/l.0jadNbL5X0HfxBmGm";

// Returns whether `password` is the password of `maybe_user`. Runs exactly
// one bcrypt computation in every case: against the user's hash, or against
// `dummy_hash` when maybe_user is null, its hash is unusable, or the
// password is one hash_password rejects (then with the password cut to 72
// bytes). Always returns false when maybe_user is null.
//
// The time matches only when `dummy_hash` has the same cost as the user's
// hash. Go's bcrypt package defaults to cost 10, for example, so prefer the
// overload below, which takes the dummy hash from the directory.
[[nodiscard]] bool verify_login(
    const user* maybe_user, std::string_view password,
    std::string_view dummy_hash = default_dummy_hash);

// Looks `username` up in `users` and verifies the password as above, with
// users.dummy_hash() for unknown usernames. Runs exactly one bcrypt.
[[nodiscard]] bool verify_login(const user_directory& users,
                                std::string_view username,
                                std::string_view password);

// Returns a bcrypt setting with the given cost (clamped to 4..31) and a
// fixed salt. crypt_rn accepts it as a hash, and it costs as much to check
// against as a real hash of that cost, but no password matches it.
[[nodiscard]] std::string dummy_hash_for_cost(int cost);

}  // namespace gateway::auth

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
// NOTE: the time matches only when `dummy_hash` has the same cost as the
// users' hashes. Choria's Go tools make cost-10 hashes by default, so a
// caller whose users have another cost passes a dummy hash of that cost,
// made with hash_password.
[[nodiscard]] bool verify_login(
    const user* maybe_user, std::string_view password,
    std::string_view dummy_hash = default_dummy_hash);

}  // namespace gateway::auth

// Internal helpers shared by password.cpp and login.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gateway::auth {

// Runs crypt_rn once with `setting` (a salt or a full hash) and counts the
// run. Returns nullopt if libxcrypt rejects the setting.
[[nodiscard]] std::optional<std::string> run_bcrypt(std::string_view password,
                                                    std::string_view setting);

// Returns why hash_password would reject `password`, or an empty string.
[[nodiscard]] std::string password_problem(std::string_view password);

}  // namespace gateway::auth

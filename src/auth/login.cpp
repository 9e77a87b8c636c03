#include "gateway/auth/login.hpp"

#include <algorithm>

#include "gateway/auth/password.hpp"
#include "gateway/common/encoding.hpp"
#include "src/auth/bcrypt.hpp"

namespace gateway::auth {

bool verify_login(const user* maybe_user, std::string_view password,
                  std::string_view dummy_hash) {
  const bool usable = maybe_user != nullptr &&
                      is_bcrypt_hash(maybe_user->password_hash) &&
                      password_problem(password).empty();
  if (!usable) {
    // Spend the same time as a real check, then reject whatever it returns.
    const auto cut =
        password.substr(0, password.find('\0')).substr(0, max_password_bytes);
    (void)run_bcrypt(cut, dummy_hash);
    return false;
  }
  const auto computed = run_bcrypt(password, maybe_user->password_hash);
  return computed && constant_time_equal(*computed, maybe_user->password_hash);
}

bool verify_login(const user_directory& users, std::string_view username,
                  std::string_view password) {
  return verify_login(users.find(username), password, users.dummy_hash());
}

std::string dummy_hash_for_cost(int cost) {
  cost = std::clamp(cost, min_bcrypt_cost, max_bcrypt_cost);
  std::string hash(default_dummy_hash);
  hash[4] = static_cast<char>('0' + cost / 10);
  hash[5] = static_cast<char>('0' + cost % 10);
  return hash;
}

}  // namespace gateway::auth

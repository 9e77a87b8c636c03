#include "gateway/auth/hash_password_command.hpp"

#include <istream>
#include <ostream>
#include <string>

#include "gateway/auth/password.hpp"

namespace gateway::auth {

int run_hash_password(std::istream& in, std::ostream& out, std::ostream& err) {
  std::string password;
  if (!std::getline(in, password)) {
    err << "hash-password: no password on standard input; type it and "
           "press Enter\n";
    return 1;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();

  std::string error;
  const auto hash = hash_password(password, default_bcrypt_cost, &error);
  if (!hash) {
    err << "hash-password: " << error << "\n";
    return 1;
  }
  out << *hash << "\n";
  return out ? 0 : 1;
}

}  // namespace gateway::auth

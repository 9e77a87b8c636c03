#include <iostream>
#include <string>

#include "gateway/auth/password.hpp"
#include "src/main/commands.hpp"

namespace gateway {

int run_hash_password(int cost) {
  std::string password;
  if (!std::getline(std::cin, password) || password.empty()) {
    std::cerr << "error: no password on standard input\n";
    return 2;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  std::string error;
  auto hash = auth::hash_password(password, cost, &error);
  if (!hash) {
    std::cerr << "error: " << error << "\n";
    return 2;
  }
  std::cout << *hash << "\n";
  return 0;
}

}  // namespace gateway

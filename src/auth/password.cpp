#include "gateway/auth/password.hpp"

#include <crypt.h>

#include <algorithm>
#include <atomic>
#include <memory>

#include "gateway/common/encoding.hpp"
#include "src/auth/bcrypt.hpp"

namespace gateway::auth {
namespace {

std::atomic<std::uint64_t> bcrypt_runs{0};

bool is_bcrypt_base64(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '/';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<std::string> run_bcrypt(std::string_view password,
                                      std::string_view setting) {
  // struct crypt_data is 32 KiB, too large for the stack of an actor thread.
  auto data = std::make_unique<crypt_data>();
  const std::string phrase(password);
  const std::string salt(setting);
  ++bcrypt_runs;
  const char* result =
      crypt_rn(phrase.c_str(), salt.c_str(), data.get(), sizeof(crypt_data));
  if (result == nullptr || result[0] == '*') return std::nullopt;
  return std::string(result);
}

std::string password_problem(std::string_view password) {
  if (password.empty()) return "the password is empty";
  if (password.size() > max_password_bytes)
    return "the password is longer than 72 bytes, the most bcrypt reads";
  if (password.find('\0') != std::string_view::npos)
    return "the password contains a NUL byte";
  return {};
}

std::optional<std::string> hash_password(std::string_view password, int cost,
                                         std::string* error) {
  auto fail = [error](std::string message) -> std::optional<std::string> {
    if (error != nullptr) *error = std::move(message);
    return std::nullopt;
  };
  if (auto problem = password_problem(password); !problem.empty())
    return fail(problem);
  if (cost < min_bcrypt_cost || cost > max_bcrypt_cost)
    return fail("bcrypt cost " + std::to_string(cost) + " is outside 4 to 31");

  // A null random-bytes argument makes libxcrypt read the salt from the
  // operating system's random source.
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0,
                       setting, sizeof(setting)) == nullptr)
    return fail("crypt_gensalt_rn failed to make a bcrypt salt");
  auto hash = run_bcrypt(password, setting);
  if (!hash) return fail("crypt_rn failed to hash the password");
  return hash;
}

bool verify_password(std::string_view password, std::string_view hash) {
  if (!is_bcrypt_hash(hash) || !password_problem(password).empty())
    return false;
  const auto computed = run_bcrypt(password, hash);
  return computed && constant_time_equal(*computed, hash);
}

bool is_bcrypt_hash(std::string_view hash) {
  if (hash.size() != 60) return false;
  const auto variant = hash.substr(0, 4);
  if (variant != "$2a$" && variant != "$2b$" && variant != "$2y$") return false;
  if (!is_digit(hash[4]) || !is_digit(hash[5]) || hash[6] != '$') return false;
  const int cost = bcrypt_cost(hash);
  if (cost < min_bcrypt_cost || cost > max_bcrypt_cost) return false;
  const auto encoded = hash.substr(7);
  return std::all_of(encoded.begin(), encoded.end(), is_bcrypt_base64);
}

int bcrypt_cost(std::string_view hash) {
  if (hash.size() < 7 || !is_digit(hash[4]) || !is_digit(hash[5])) return -1;
  return (hash[4] - '0') * 10 + (hash[5] - '0');
}

std::uint64_t bcrypt_run_count() { return bcrypt_runs.load(); }

}  // namespace gateway::auth

// The gateway's users, read from a JSON file in the format of Choria's AAA
// service users file, extended with optional roles:
//
//   [{"username": "alice", "password": "$2a$10$...",
//     "acls": ["rpcutil.*", "puppet.status"], "roles": ["operator"],
//     "properties": {}}]
//
// "acls" and "roles" are optional and default to empty. Other keys, such as
// "properties" or the AAA service's "opa_policy", are ignored, so a user
// whose permissions exist only as an OPA policy is allowed nothing here.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/auth/acl_pattern.hpp"

namespace gateway::auth {

struct user {
  // Letters, digits, '_', '.' and '-': the characters Choria allows in the
  // name part of a callerid, which the gateway builds as "choria=<username>".
  std::string username;
  std::string password_hash;  // bcrypt
  std::vector<acl_pattern> acls;
  std::vector<std::string> roles;
};

// An immutable set of users; const member functions are safe to call from
// any thread.
class user_directory {
 public:
  // Reads and validates a users file. On failure returns nullopt and sets
  // *error to a message naming the file, the entry index (from 0), the
  // field and what would be valid. The rejected cases are a document that
  // is not an array and an entry that is not an object. So are a missing,
  // invalid or duplicate username, and a missing or non-bcrypt password.
  // So are an acl that is not a valid pattern and roles that are not
  // non-empty strings.
  [[nodiscard]] static std::optional<user_directory> load(
      const std::filesystem::path& path, std::string* error);

  // Same as load, from the JSON text; the message names no file.
  [[nodiscard]] static std::optional<user_directory> parse(
      std::string_view json_text, std::string* error);

  // Returns the user with this exact username, or nullptr. The pointer is
  // valid until the directory holding the user is destroyed or assigned to.
  [[nodiscard]] const user* find(std::string_view username) const;

  [[nodiscard]] const std::vector<user>& users() const { return users_; }

  // A hash with the bcrypt cost most users have (the higher one on a tie,
  // 12 when there are no users), for verify_login to check unknown
  // usernames against in the same time as known ones.
  [[nodiscard]] const std::string& dummy_hash() const { return dummy_hash_; }

 private:
  explicit user_directory(std::vector<user> users);

  std::vector<user> users_;
  std::map<std::string, std::size_t, std::less<>> index_;
  std::string dummy_hash_;
};

}  // namespace gateway::auth

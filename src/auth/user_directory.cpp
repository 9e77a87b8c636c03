#include "gateway/auth/user_directory.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "gateway/auth/login.hpp"
#include "gateway/auth/password.hpp"
#include "src/auth/json_file.hpp"

namespace gateway::auth {
namespace {

using nlohmann::json;

bool is_username(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

// Reads one entry into `out`; on failure sets *error to the problem without
// the entry prefix, which the caller adds.
bool read_username(const json& entry, user& out, std::string* error) {
  const auto found = entry.find("username");
  if (found == entry.end()) {
    *error = "\"username\" is missing";
    return false;
  }
  if (!found->is_string() || !is_username(found->get<std::string>())) {
    *error =
        "\"username\" must be a non-empty string of letters, digits, '_', "
        "'.' and '-'";
    return false;
  }
  out.username = found->get<std::string>();
  return true;
}

bool read_password(const json& entry, user& out, std::string* error) {
  const auto found = entry.find("password");
  if (found == entry.end()) {
    *error = "\"password\" is missing";
    return false;
  }
  if (!found->is_string() || !is_bcrypt_hash(found->get<std::string>())) {
    *error =
        "\"password\" is not a bcrypt hash ($2a$, $2b$ or $2y$ with a cost "
        "of 04 to 31); make one with choria-rest-gateway hash-password";
    return false;
  }
  out.password_hash = found->get<std::string>();
  return true;
}

bool read_acls(const json& entry, user& out, std::string* error) {
  const auto found = entry.find("acls");
  if (found == entry.end()) return true;
  if (!found->is_array()) {
    *error = "\"acls\" must be an array of strings";
    return false;
  }
  for (const auto& item : *found) {
    auto pattern = item.is_string()
                       ? acl_pattern::parse(item.get<std::string>())
                       : std::nullopt;
    if (!pattern) {
      *error = "\"acls\" has invalid pattern " + item.dump() + ": " +
               std::string(acl_pattern_syntax);
      return false;
    }
    out.acls.push_back(std::move(*pattern));
  }
  return true;
}

bool read_roles(const json& entry, user& out, std::string* error) {
  const auto found = entry.find("roles");
  if (found == entry.end()) return true;
  const bool valid =
      found->is_array() &&
      std::all_of(found->begin(), found->end(), [](const json& item) {
        return item.is_string() && !item.get<std::string>().empty();
      });
  if (!valid) {
    *error = "\"roles\" must be an array of non-empty strings";
    return false;
  }
  for (const auto& item : *found) out.roles.push_back(item.get<std::string>());
  return true;
}

bool read_user(const json& entry, user& out, std::string* error) {
  if (!entry.is_object()) {
    *error = "must be an object";
    return false;
  }
  return read_username(entry, out, error) && read_password(entry, out, error) &&
         read_acls(entry, out, error) && read_roles(entry, out, error);
}

std::string entry_prefix(std::size_t index, const user& partial) {
  std::string prefix = "entry " + std::to_string(index);
  if (!partial.username.empty())
    prefix += " (username \"" + partial.username + "\")";
  return prefix + ": ";
}

// Reads every entry of a parsed users file, rejecting duplicates. On
// failure sets *error without naming the file.
std::optional<std::vector<user>> read_users(const json& document,
                                            std::string* error) {
  if (!document.is_array()) {
    *error = "the document must be a JSON array of users";
    return std::nullopt;
  }
  std::vector<user> users;
  std::map<std::string, std::size_t, std::less<>> seen;
  for (std::size_t index = 0; index < document.size(); ++index) {
    user entry;
    std::string problem;
    if (!read_user(document[index], entry, &problem)) {
      *error = entry_prefix(index, entry) + problem;
      return std::nullopt;
    }
    const auto [previous, inserted] = seen.emplace(entry.username, index);
    if (!inserted) {
      *error = entry_prefix(index, entry) + "\"username\" duplicates entry " +
               std::to_string(previous->second);
      return std::nullopt;
    }
    users.push_back(std::move(entry));
  }
  return users;
}

}  // namespace

user_directory::user_directory(std::vector<user> users)
    : users_(std::move(users)) {
  std::map<int, std::size_t> users_by_cost;
  for (std::size_t index = 0; index < users_.size(); ++index) {
    index_.emplace(users_[index].username, index);
    ++users_by_cost[bcrypt_cost(users_[index].password_hash)];
  }

  int common_cost = default_bcrypt_cost;
  std::size_t common_count = 0;
  for (const auto& [cost, count] : users_by_cost) {
    if (count < common_count) continue;
    common_cost = cost;
    common_count = count;
  }
  dummy_hash_ = dummy_hash_for_cost(common_cost);
}

std::optional<user_directory> user_directory::parse(std::string_view json_text,
                                                    std::string* error) {
  const auto document = json::parse(json_text, nullptr, false);
  if (document.is_discarded()) {
    *error = "users file: invalid JSON";
    return std::nullopt;
  }
  auto users = read_users(document, error);
  if (!users) {
    *error = "users file: " + *error;
    return std::nullopt;
  }
  return user_directory(std::move(*users));
}

std::optional<user_directory> user_directory::load(
    const std::filesystem::path& path, std::string* error) {
  const auto document = read_json_file(path, "users file", error);
  if (!document) return std::nullopt;
  auto users = read_users(*document, error);
  if (!users) {
    *error = "users file " + path.string() + ": " + *error;
    return std::nullopt;
  }
  return user_directory(std::move(*users));
}

const user* user_directory::find(std::string_view username) const {
  const auto found = index_.find(username);
  if (found == index_.end()) return nullptr;
  return &users_[found->second];
}

}  // namespace gateway::auth

#include "gateway/auth/policy.hpp"

#include <nlohmann/json.hpp>

#include "src/auth/json_file.hpp"

namespace gateway::auth {
namespace {

using nlohmann::json;
using role_map = std::map<std::string, role, std::less<>>;

bool read_allow(const json& body, role& out, std::string* error) {
  const auto allow = body.find("allow");
  if (allow == body.end() || !allow->is_array()) {
    *error = "\"allow\" must be an array of patterns";
    return false;
  }
  for (const auto& item : *allow) {
    auto pattern = item.is_string()
                       ? acl_pattern::parse(item.get<std::string>())
                       : std::nullopt;
    if (!pattern) {
      *error = "\"allow\" has invalid pattern " + item.dump() + ": " +
               std::string(acl_pattern_syntax);
      return false;
    }
    out.allow.push_back(std::move(*pattern));
  }
  return true;
}

// Reads the optional "read" list of "own", "all" and "audit".
bool read_scopes(const json& body, role& out, std::string* error) {
  const auto read = body.find("read");
  if (read == body.end()) return true;
  if (!read->is_array()) {
    *error = "\"read\" must be an array of \"own\", \"all\" or \"audit\"";
    return false;
  }
  for (const auto& item : *read) {
    std::string scope = item.is_string() ? item.get<std::string>() : "";
    if (scope == "all") out.read_all = true;
    else if (scope == "audit") out.read_audit = true;
    else if (scope != "own") {
      *error = "\"read\" has invalid entry " + item.dump() +
               "; valid entries are \"own\", \"all\" and \"audit\"";
      return false;
    }
  }
  return true;
}

bool read_role(const json& body, role& out, std::string* error) {
  if (!body.is_object()) {
    *error = "must be an object with an \"allow\" array";
    return false;
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "allow" && key != "read") {
      *error = "unknown key \"" + key +
               "\"; only \"allow\" and \"read\" are supported";
      return false;
    }
  }
  return read_allow(body, out, error) && read_scopes(body, out, error);
}

// Reads every role of a parsed policy file. On failure sets *error without
// naming the file.
std::optional<role_map> read_roles(const json& document, std::string* error) {
  if (!document.is_object()) {
    *error = "the document must be a JSON object with a \"roles\" object";
    return std::nullopt;
  }
  for (const auto& [key, value] : document.items()) {
    if (key != "roles") {
      *error = "unknown key \"" + key + "\"; only \"roles\" is supported";
      return std::nullopt;
    }
  }
  const auto roles = document.find("roles");
  if (roles == document.end() || !roles->is_object()) {
    *error = "\"roles\" must be an object of role name to role";
    return std::nullopt;
  }

  role_map result;
  for (const auto& [name, body] : roles->items()) {
    if (name.empty()) {
      *error = "\"roles\" has a role with an empty name";
      return std::nullopt;
    }
    role entry{name, {}, false, false};
    std::string problem;
    if (!read_role(body, entry, &problem)) {
      *error = "role \"" + name + "\": " + problem;
      return std::nullopt;
    }
    result.emplace(name, std::move(entry));
  }
  return result;
}

}  // namespace

policy::policy(role_map roles) : roles_(std::move(roles)) {}

std::optional<policy> policy::parse(std::string_view json_text,
                                    std::string* error) {
  const auto document = json::parse(json_text, nullptr, false);
  if (document.is_discarded()) {
    *error = "policy file: invalid JSON";
    return std::nullopt;
  }
  auto roles = read_roles(document, error);
  if (!roles) {
    *error = "policy file: " + *error;
    return std::nullopt;
  }
  return policy(std::move(*roles));
}

std::optional<policy> policy::load(const std::filesystem::path& path,
                                   std::string* error) {
  const auto document = read_json_file(path, "policy file", error);
  if (!document) return std::nullopt;
  auto roles = read_roles(*document, error);
  if (!roles) {
    *error = "policy file " + path.string() + ": " + *error;
    return std::nullopt;
  }
  return policy(std::move(*roles));
}

const role* policy::find_role(std::string_view name) const {
  const auto found = roles_.find(name);
  if (found == roles_.end()) return nullptr;
  return &found->second;
}

read_access policy::access_of(
    const std::vector<std::string>& role_names) const {
  read_access access;
  for (const auto& name : role_names) {
    const role* granted = find_role(name);
    if (granted == nullptr) continue;
    access.all = access.all || granted->read_all;
    access.audit = access.audit || granted->read_audit;
  }
  return access;
}

}  // namespace gateway::auth

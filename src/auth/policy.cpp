#include "gateway/auth/policy.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include "src/auth/json_file.hpp"

namespace gateway::auth {
namespace {

using nlohmann::json;
using role_map = std::map<std::string, role, std::less<>>;

bool read_patterns(const json& body, const char* key,
                   std::vector<acl_pattern>& out, std::string* error) {
  const auto list = body.find(key);
  if (list == body.end() || !list->is_array()) {
    *error = std::string("\"") + key + "\" must be an array of patterns";
    return false;
  }
  for (const auto& item : *list) {
    auto pattern = item.is_string()
                       ? acl_pattern::parse(item.get<std::string>())
                       : std::nullopt;
    if (!pattern) {
      *error = std::string("\"") + key + "\" has invalid pattern " +
               item.dump() + ": " + std::string(acl_pattern_syntax);
      return false;
    }
    out.push_back(std::move(*pattern));
  }
  return true;
}

bool check_keys(const json& body, const std::set<std::string>& known,
                std::string* error) {
  for (const auto& [key, value] : body.items()) {
    if (known.count(key) != 0) continue;
    std::string names;
    for (const auto& name : known)
      names += (names.empty() ? "\"" : ", \"") + name + "\"";
    *error = "unknown key \"" + key + "\"; supported are " + names;
    return false;
  }
  return true;
}

bool read_max_targets(const json& body, std::size_t& out,
                      std::string* error) {
  const auto found = body.find("max_targets");
  if (found == body.end()) return true;
  if (!found->is_number_unsigned()) {
    *error = "\"max_targets\" must be a non-negative integer (0: no cap)";
    return false;
  }
  out = found->get<std::size_t>();
  return true;
}

bool read_collectives(const json& body, role& out, std::string* error) {
  const auto found = body.find("collectives");
  if (found == body.end()) return true;
  if (!found->is_array() || found->empty()) {
    *error = "\"collectives\" must be a non-empty array of names; leave it "
             "out to allow every collective";
    return false;
  }
  for (const auto& item : *found) {
    if (!item.is_string() || item.get<std::string>().empty()) {
      *error = "\"collectives\" has invalid entry " + item.dump() +
               ": expected a non-empty string";
      return false;
    }
    out.collectives.push_back(item.get<std::string>());
  }
  return true;
}

bool read_broad_rule(const json& body, broad_action_rule& out,
                     std::string* error) {
  if (!body.is_object()) {
    *error = "must be an object with an \"actions\" array";
    return false;
  }
  if (!check_keys(body, {"actions", "require_filter", "max_targets"}, error) ||
      !read_patterns(body, "actions", out.actions, error) ||
      !read_max_targets(body, out.max_targets, error))
    return false;
  const auto filter = body.find("require_filter");
  if (filter != body.end()) {
    if (!filter->is_boolean()) {
      *error = "\"require_filter\" must be true or false";
      return false;
    }
    out.require_filter = filter->get<bool>();
  }
  return true;
}

bool read_broad_actions(const json& body, role& out, std::string* error) {
  const auto found = body.find("broad_actions");
  if (found == body.end()) return true;
  if (!found->is_array()) {
    *error = "\"broad_actions\" must be an array of rules";
    return false;
  }
  for (std::size_t i = 0; i < found->size(); ++i) {
    broad_action_rule rule;
    std::string problem;
    if (!read_broad_rule((*found)[i], rule, &problem)) {
      *error = "\"broad_actions\"[" + std::to_string(i) + "]: " + problem;
      return false;
    }
    out.broad_actions.push_back(std::move(rule));
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
  return check_keys(body,
                    {"allow", "collectives", "max_targets", "broad_actions",
                     "read"},
                    error) &&
         read_patterns(body, "allow", out.allow, error) &&
         read_collectives(body, out, error) &&
         read_max_targets(body, out.max_targets, error) &&
         read_broad_actions(body, out, error) &&
         read_scopes(body, out, error);
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
    role entry;
    entry.name = name;
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

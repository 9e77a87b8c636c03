#include "gateway/auth/authorize.hpp"

namespace gateway::auth {
namespace {

std::string call_name(std::string_view agent, std::string_view action) {
  std::string name(agent);
  name += '.';
  name += action;
  return name;
}

}  // namespace

decision authorize(const user& caller, const policy& rules,
                   std::string_view agent, std::string_view action) {
  const std::string call = call_name(agent, action);
  for (const auto& pattern : caller.acls) {
    if (pattern.matches(agent, action))
      return {true, "user " + caller.username + " may call " + call +
                        ": allowed by acl " + pattern.text()};
  }

  for (const auto& role_name : caller.roles) {
    const role* granted = rules.find_role(role_name);
    if (granted == nullptr) continue;
    for (const auto& pattern : granted->allow) {
      if (pattern.matches(agent, action))
        return {true, "user " + caller.username + " may call " + call +
                          ": allowed by role " + role_name + " pattern " +
                          pattern.text()};
    }
  }

  return {false, "user " + caller.username + " may not call " + call +
                     ": no acl or role allows it"};
}

bool validate(const user_directory& users, const policy& rules,
              std::string* error) {
  for (const auto& entry : users.users()) {
    for (const auto& role_name : entry.roles) {
      if (rules.find_role(role_name) != nullptr) continue;
      *error = "user \"" + entry.username + "\" has role \"" + role_name +
               "\", which the policy file does not define";
      return false;
    }
  }
  return true;
}

}  // namespace gateway::auth

#include "gateway/auth/authorize.hpp"

#include <algorithm>
#include <optional>

namespace gateway::auth {
namespace {

std::string call_name(std::string_view agent, std::string_view action) {
  std::string name(agent);
  name += '.';
  name += action;
  return name;
}

const acl_pattern* matching(const std::vector<acl_pattern>& patterns,
                            std::string_view agent, std::string_view action) {
  for (const auto& pattern : patterns)
    if (pattern.matches(agent, action)) return &pattern;
  return nullptr;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::size_t lower_cap(std::size_t cap, std::size_t other) {
  if (other == 0) return cap;
  return cap == 0 ? other : std::min(cap, other);
}

// Checks the constraints of `granted` for the scope. Returns the reason it
// fails, or nullopt and sets *cap to the role's cap for this call.
std::optional<std::string> check_constraints(const role& granted,
                                             const call_scope& scope,
                                             const std::string& call,
                                             std::size_t* cap) {
  const auto& collectives = granted.collectives;
  if (!collectives.empty() &&
      std::find(collectives.begin(), collectives.end(), scope.collective) ==
          collectives.end())
    return "role " + granted.name + " may not address collective " +
           std::string(scope.collective) + " (allowed: " + join(collectives) +
           ")";

  *cap = granted.max_targets;
  for (const auto& rule : granted.broad_actions) {
    if (matching(rule.actions, scope.agent, scope.action) == nullptr) continue;
    if (rule.require_filter && !scope.narrowed)
      return "role " + granted.name + " must narrow " + call +
             " to a filter or a node list; it may not reach every node";
    *cap = lower_cap(*cap, rule.max_targets);
  }
  if (*cap != 0 && scope.listed_nodes > *cap)
    return "role " + granted.name + " may address at most " +
           std::to_string(*cap) + " nodes with " + call + ", the request lists " +
           std::to_string(scope.listed_nodes);
  return std::nullopt;
}

// Checks an acl grant against the constraints of every role of the user,
// so that an acl cannot reach further than the user's roles allow. Returns
// the first failed constraint, or nullopt and sets *cap to the lowest cap.
std::optional<std::string> check_acl_constraints(const user& caller,
                                                 const policy& rules,
                                                 const call_scope& scope,
                                                 const std::string& call,
                                                 std::size_t* cap) {
  *cap = 0;
  for (const auto& role_name : caller.roles) {
    const role* limiting = rules.find_role(role_name);
    if (limiting == nullptr) continue;
    std::size_t role_cap = 0;
    auto violation = check_constraints(*limiting, scope, call, &role_cap);
    if (violation) return violation;
    *cap = lower_cap(*cap, role_cap);
  }
  return std::nullopt;
}

}  // namespace

decision authorize(const user& caller, const policy& rules,
                   const call_scope& scope) {
  const std::string call = call_name(scope.agent, scope.action);
  std::optional<std::string> first_violation;
  if (const auto* acl = matching(caller.acls, scope.agent, scope.action)) {
    std::size_t cap = 0;
    auto violation = check_acl_constraints(caller, rules, scope, call, &cap);
    if (!violation)
      return {true,
              "user " + caller.username + " may call " + call +
                  ": allowed by acl " + acl->text(),
              cap};
    first_violation = "acl " + acl->text() + " is limited by the user's " +
                      "roles: " + *violation;
  }

  for (const auto& role_name : caller.roles) {
    const role* granted = rules.find_role(role_name);
    if (granted == nullptr) continue;
    const auto* pattern = matching(granted->allow, scope.agent, scope.action);
    if (pattern == nullptr) continue;
    std::size_t cap = 0;
    auto violation = check_constraints(*granted, scope, call, &cap);
    if (!violation)
      return {true, "user " + caller.username + " may call " + call +
                        ": allowed by role " + role_name + " pattern " +
                        pattern->text(), cap};
    if (!first_violation) first_violation = std::move(violation);
  }

  if (first_violation)
    return {false, "user " + caller.username + " may not call " + call +
                       ": " + *first_violation, 0};
  return {false, "user " + caller.username + " may not call " + call +
                     ": no acl or role allows it", 0};
}

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

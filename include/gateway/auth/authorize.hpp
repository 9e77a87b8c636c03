// The RBAC decision: may this user call agent.action?
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "gateway/auth/policy.hpp"
#include "gateway/auth/user_directory.hpp"

namespace gateway::auth {

struct decision {
  bool allowed = false;
  // Why, for the caller and the event log: which acl or role allowed the
  // call, or that none did. Contains the username, agent, action and
  // pattern, never a password or token.
  std::string reason;
  // When allowed: the most nodes the request may reach, 0 for no cap.
  std::size_t max_targets = 0;
};

// What a request reaches, for the role constraints.
struct call_scope {
  std::string_view agent;
  std::string_view action;
  std::string_view collective;
  // The request names nodes or has a non-empty filter, so it does not
  // reach every node of the collective.
  bool narrowed = false;
  // Nodes listed directly; 0 when the targets are discovered.
  std::size_t listed_nodes = 0;
};

// Allows the call when one of the user's roles allows agent.action and the
// request meets that role's constraints (collectives, max_targets,
// broad_actions; see policy.hpp), with that role's cap. It also allows
// the call when one of the user's acls matches agent.action and the
// request meets the constraints of every role the user has, with the
// lowest of their caps. A user without roles has acls without
// constraints, as in Choria's AAA service. When a grant fails a
// constraint, the reason names the first failed one. Thread safe.
[[nodiscard]] decision authorize(const user& caller, const policy& rules,
                                 const call_scope& scope);

// Allows the call when any of the user's acls, or any pattern of any of the
// user's roles, matches agent.action, ignoring the role constraints. A role
// the policy does not define allows nothing (validate rejects such users at
// startup). Thread safe.
[[nodiscard]] decision authorize(const user& caller, const policy& rules,
                                 std::string_view agent,
                                 std::string_view action);

// Checks that every role named by a user exists in the policy. On failure
// returns false and sets *error naming the user and the role.
[[nodiscard]] bool validate(const user_directory& users, const policy& rules,
                            std::string* error);

}  // namespace gateway::auth

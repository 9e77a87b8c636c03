// The RBAC decision: may this user call agent.action?
#pragma once

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
};

// Allows the call when any of the user's acls, or any pattern of any of the
// user's roles, matches agent.action. A role the policy does not define
// allows nothing (validate rejects such users at startup). Thread safe.
[[nodiscard]] decision authorize(const user& caller, const policy& rules,
                                 std::string_view agent,
                                 std::string_view action);

// Checks that every role named by a user exists in the policy. On failure
// returns false and sets *error naming the user and the role.
[[nodiscard]] bool validate(const user_directory& users, const policy& rules,
                            std::string* error);

}  // namespace gateway::auth

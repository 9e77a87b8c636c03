// The RBAC evaluator: decides from the users' acls and the role policy
// whether a user may call agent.action.
#pragma once

#include <memory>

#include "actors/messages.hpp"
#include "gateway/auth/policy.hpp"
#include "gateway/auth/user_directory.hpp"

namespace gateway {

struct rbac_config {
  std::shared_ptr<const auth::user_directory> users;
  std::shared_ptr<const auth::policy> rules;
};

// Returns a decision for every authorize, and a denial carries the reason.
rbac_evaluator_actor::behavior_type rbac_evaluator(
    rbac_evaluator_actor::pointer self, rbac_config config);

}  // namespace gateway

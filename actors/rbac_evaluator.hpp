// The RBAC evaluator: decides from the users' acls and the role policy
// whether a user may call agent.action, and with which target cap. The
// policy can be replaced at run time (SIGHUP); the users file cannot.
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
// A reload with a null policy is ignored; the caller validates a new policy
// against the users before sending it.
rbac_evaluator_actor::behavior_type rbac_evaluator(
    rbac_evaluator_actor::pointer self, rbac_config config);

// Reads the policy file again and, when it is valid and defines every role
// the users have, sends it to the evaluator, which switches to it whole.
// Otherwise logs why and leaves the evaluator's policy as it is. Returns
// whether the new policy was sent. For the SIGHUP handler.
bool reload_policy_file(const std::string& path,
                        const auth::user_directory& users,
                        const rbac_evaluator_actor& evaluator);

}  // namespace gateway

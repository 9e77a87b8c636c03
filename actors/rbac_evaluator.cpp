#include "actors/rbac_evaluator.hpp"

#include "gateway/auth/authorize.hpp"

namespace gateway {

rbac_evaluator_actor::behavior_type rbac_evaluator(
    rbac_evaluator_actor::pointer self, rbac_config config) {
  return {
      [config](authorize_atom, const identity& caller,
               const std::string& agent, const std::string& action) {
        const auth::user* user = config.users->find(caller.username);
        if (user == nullptr)
          return decision{false, "user " + caller.username + " is unknown"};
        auto result = auth::authorize(*user, *config.rules, agent, action);
        return decision{result.allowed, result.reason};
      },
  };
}

}  // namespace gateway

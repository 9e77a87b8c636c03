#include "actors/rbac_evaluator.hpp"

#include <optional>

#include "gateway/auth/api_key_store.hpp"
#include "gateway/auth/authorize.hpp"
#include "gateway/common/logging.hpp"

namespace gateway {
namespace {

// Whether the request reaches fewer than all nodes of its collective.
bool narrowed(const rpc_request& request) {
  return !request.nodes.empty() || !request.target.empty();
}

// For an API key: the denial when no scope pattern allows agent.action.
std::optional<decision> outside_scope(const identity& caller,
                                      const std::string& agent,
                                      const std::string& action) {
  if (caller.scope.empty()) return std::nullopt;
  for (const auto& text : caller.scope) {
    auto pattern = auth::acl_pattern::parse(text);
    if (pattern && pattern->matches(agent, action)) return std::nullopt;
  }
  return decision{false,
                  "the API key of " + caller.username + " may not call " +
                      agent + "." + action + ": outside its scope",
                  0};
}

// Checks that each scope pattern is within one acl or role pattern of the
// user. Role constraints still apply when the key is used.
decision scope_within_rights(const auth::user& owner,
                             const auth::policy& rules,
                             const std::vector<std::string>& scope) {
  for (const auto& text : scope) {
    auto wanted = auth::acl_pattern::parse(text);
    if (!wanted)
      return {false, "scope pattern " + text + " is invalid", 0};
    bool covered = false;
    for (const auto& acl : owner.acls)
      covered = covered || auth::pattern_covers(acl, *wanted);
    for (const auto& role_name : owner.roles) {
      const auth::role* granted = rules.find_role(role_name);
      if (granted == nullptr) continue;
      for (const auto& allow : granted->allow)
        covered = covered || auth::pattern_covers(allow, *wanted);
    }
    if (!covered)
      return {false,
              "scope pattern " + text + " is not within the permissions of " +
                  owner.username,
              0};
  }
  return {true, "the scope is within the permissions of " + owner.username,
          0};
}

}  // namespace

rbac_evaluator_actor::behavior_type rbac_evaluator(
    rbac_evaluator_actor::pointer self, rbac_config config) {
  // The current policy; reload replaces it between two messages, so each
  // decision uses one whole policy.
  auto rules = std::make_shared<std::shared_ptr<const auth::policy>>(
      config.rules);
  return {
      [config, rules](authorize_atom, const identity& caller,
                      const std::string& agent, const std::string& action) {
        const auth::user* user = config.users->find(caller.username);
        if (user == nullptr)
          return decision{false, "user " + caller.username + " is unknown", 0};
        if (auto denied = outside_scope(caller, agent, action)) return *denied;
        auto result = auth::authorize(*user, **rules, agent, action);
        return decision{result.allowed, result.reason, 0};
      },
      [config, rules](authorize_atom, const std::string& owner,
                      const std::vector<std::string>& scope) {
        const auth::user* user = config.users->find(owner);
        if (user == nullptr)
          return decision{false, "user " + owner + " is unknown", 0};
        return scope_within_rights(*user, **rules, scope);
      },
      [config, rules](authorize_atom, const identity& caller,
                      const rpc_request& request) {
        const auth::user* user = config.users->find(caller.username);
        if (user == nullptr)
          return decision{false, "user " + caller.username + " is unknown", 0};
        if (auto denied = outside_scope(caller, request.agent, request.action))
          return *denied;
        auth::call_scope scope{request.agent, request.action,
                               request.collective, narrowed(request),
                               request.nodes.size()};
        auto result = auth::authorize(*user, **rules, scope);
        return decision{result.allowed, result.reason, result.max_targets};
      },
      [rules](reload_atom, const policy_update& update) {
        if (update.rules == nullptr) return;
        *rules = update.rules;
        logger("auth")->info("the role policy now has {} roles",
                             update.rules->roles().size());
      },
  };
}

bool reload_policy_file(const std::string& path,
                        const auth::user_directory& users,
                        const rbac_evaluator_actor& evaluator) {
  std::string error;
  auto rules = auth::policy::load(path, &error);
  if (rules && !auth::validate(users, *rules, &error)) rules.reset();
  if (!rules) {
    logger("auth")->error("rejected the new policy, keeping the current one: {}",
                          error);
    return false;
  }
  logger("auth")->info("reloaded the policy file {}", path);
  caf::anon_send(evaluator, reload_atom::value,
                 policy_update{std::make_shared<const auth::policy>(
                     std::move(*rules))});
  return true;
}

}  // namespace gateway

// The gateway's role policy, read from a JSON file:
//
//   {"roles": {"admin": {"allow": ["*"], "read": ["all", "audit"]},
//              "operator": {"allow": ["rpcutil.*", "puppet.*"],
//                           "collectives": ["mcollective"],
//                           "max_targets": 500,
//                           "broad_actions": [
//                             {"actions": ["puppet.*"],
//                              "require_filter": true,
//                              "max_targets": 50}]}}}
//
// A role allows the RPC calls that match any of its "allow" patterns (see
// acl_pattern), limited by its optional constraints:
//   collectives    the collectives it may address (absent: all of them)
//   max_targets    the most nodes one request may reach (absent or 0: no
//                  cap); checked against a node list at submit and against
//                  the discovered nodes before publishing
//   broad_actions  rules for actions that matter more when they reach many
//                  nodes: for a call matching "actions", "require_filter"
//                  rejects requests that neither filter nor list nodes, and
//                  "max_targets" lowers the cap
//   read           "own" (the default) shows a user only their own
//                  requests, "all" shows every user's requests and
//                  replies, and "audit" grants the audit trail
// There are no deny rules: a call is denied unless a pattern allows it. A
// role named twice in the file keeps its last definition, because
// nlohmann::json keeps the last of duplicate keys.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/auth/acl_pattern.hpp"

namespace gateway::auth {

struct broad_action_rule {
  std::vector<acl_pattern> actions;
  bool require_filter = false;
  std::size_t max_targets = 0;  // 0: no cap of its own
};

struct role {
  std::string name;
  std::vector<acl_pattern> allow;
  std::vector<std::string> collectives;  // empty: every collective
  std::size_t max_targets = 0;           // 0: no cap
  std::vector<broad_action_rule> broad_actions;
  bool read_all = false;
  bool read_audit = false;
};

// What a user may read, from all of their roles together.
struct read_access {
  bool all = false;
  bool audit = false;
};

// An immutable set of roles; const member functions are safe to call from
// any thread.
class policy {
 public:
  // Reads and validates a policy file. On failure returns nullopt and sets
  // *error to a message naming the file, the role, the field and what would
  // be valid. Rejects unknown keys at the top level, in a role and in a
  // broad action rule (so that a "deny" list is not silently ignored), a
  // role without "allow", invalid patterns, and constraints of the wrong
  // type.
  [[nodiscard]] static std::optional<policy> load(
      const std::filesystem::path& path, std::string* error);

  // Same as load, from the JSON text; the message names no file.
  [[nodiscard]] static std::optional<policy> parse(std::string_view json_text,
                                                   std::string* error);

  // Returns the role with this name, or nullptr. The pointer is valid until
  // the policy holding the role is destroyed or assigned to.
  [[nodiscard]] const role* find_role(std::string_view name) const;

  // The read access that the named roles grant together; unknown names
  // grant nothing.
  [[nodiscard]] read_access access_of(
      const std::vector<std::string>& role_names) const;

  [[nodiscard]] const std::map<std::string, role, std::less<>>& roles() const {
    return roles_;
  }

 private:
  explicit policy(std::map<std::string, role, std::less<>> roles);

  std::map<std::string, role, std::less<>> roles_;
};

}  // namespace gateway::auth

// RPC permission patterns, the form Choria's AAA service uses in its users
// file and the gateway uses in its role policy.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gateway::auth {

// One pattern: `*` (every action of every agent), `agent.*`, `*.action` or
// `agent.action`, where agent and action names are [a-z0-9_]+. `*.*` is
// accepted too and means the same as `*`. Immutable and thread safe.
class acl_pattern {
 public:
  // Parses `text`; returns nullopt when it has none of the forms above.
  [[nodiscard]] static std::optional<acl_pattern> parse(std::string_view text);

  // Returns whether the pattern allows calling `agent`.`action`.
  [[nodiscard]] bool matches(std::string_view agent,
                             std::string_view action) const;

  // The pattern as written in the file.
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  acl_pattern(std::string text, std::string agent, std::string action);

  std::string text_;
  std::string agent_;   // "*" matches any agent
  std::string action_;  // "*" matches any action
};

// The sentence that error messages append after an invalid pattern.
inline constexpr std::string_view acl_pattern_syntax =
    "expected *, agent.*, *.action or agent.action with agent and action "
    "names of a-z, 0-9 and _";

}  // namespace gateway::auth

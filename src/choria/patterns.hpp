// Compiled name patterns for the privileged and allow lists. Internal to
// gateway_choria.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace gateway::choria::detail {

// A list of patterns as described at matches_any: /re/ or a text with
// regular expression characters is searched as ECMAScript, anything else
// must equal the name. Immutable after compile, so thread safe.
class pattern_set {
 public:
  // Compiles patterns; nullopt and *error naming the pattern when one is
  // not a valid regular expression.
  static std::optional<pattern_set> compile(
      const std::vector<std::string>& patterns, std::string* error);

  bool matches(std::string_view name) const;

  std::string describe() const;  // the patterns joined by ", "

 private:
  std::vector<std::string> plain_;
  std::vector<std::regex> expressions_;
  std::vector<std::string> sources_;
};

}  // namespace gateway::choria::detail

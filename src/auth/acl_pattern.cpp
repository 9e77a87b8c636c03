#include "gateway/auth/acl_pattern.hpp"

#include <algorithm>
#include <utility>

namespace gateway::auth {
namespace {

bool is_name(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool is_name_or_wildcard(std::string_view text) {
  return text == "*" || is_name(text);
}

}  // namespace

acl_pattern::acl_pattern(std::string text, std::string agent,
                         std::string action)
    : text_(std::move(text)),
      agent_(std::move(agent)),
      action_(std::move(action)) {}

std::optional<acl_pattern> acl_pattern::parse(std::string_view text) {
  if (text == "*") return acl_pattern(std::string(text), "*", "*");

  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto agent = text.substr(0, dot);
  const auto action = text.substr(dot + 1);
  if (!is_name_or_wildcard(agent) || !is_name_or_wildcard(action))
    return std::nullopt;
  return acl_pattern(std::string(text), std::string(agent),
                     std::string(action));
}

bool acl_pattern::matches(std::string_view agent,
                          std::string_view action) const {
  const bool agent_matches = agent_ == "*" || agent_ == agent;
  const bool action_matches = action_ == "*" || action_ == action;
  return agent_matches && action_matches;
}

}  // namespace gateway::auth

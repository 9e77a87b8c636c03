#include "patterns.hpp"

#include "gateway/choria/security.hpp"

namespace gateway::choria {

namespace detail {

namespace {

bool looks_like_regex(std::string_view pattern) {
  return pattern.find_first_of("\\^$*+?()[]{}|") != std::string_view::npos;
}

// The expression inside /re/, or nullopt when pattern is not slash wrapped.
std::optional<std::string_view> slash_wrapped(std::string_view pattern) {
  if (pattern.size() >= 2 && pattern.front() == '/' && pattern.back() == '/')
    return pattern.substr(1, pattern.size() - 2);
  return std::nullopt;
}

}  // namespace

std::optional<pattern_set> pattern_set::compile(
    const std::vector<std::string>& patterns, std::string* error) {
  pattern_set set;
  set.sources_ = patterns;
  for (const auto& pattern : patterns) {
    auto expression = slash_wrapped(pattern);
    if (!expression && !looks_like_regex(pattern)) {
      set.plain_.push_back(pattern);
      continue;
    }
    std::string_view source = expression ? *expression : pattern;
    try {
      set.expressions_.emplace_back(source.begin(), source.end(),
                                    std::regex::ECMAScript);
    } catch (const std::regex_error& failure) {
      *error =
          "invalid regular expression '" + pattern + "': " + failure.what();
      return std::nullopt;
    }
  }
  return set;
}

bool pattern_set::matches(std::string_view name) const {
  for (const auto& plain : plain_)
    if (plain == name) return true;
  for (const auto& expression : expressions_)
    if (std::regex_search(name.begin(), name.end(), expression)) return true;
  return false;
}

std::string pattern_set::describe() const {
  std::string text;
  for (const auto& source : sources_) {
    if (!text.empty()) text += ", ";
    text += source;
  }
  return text;
}

}  // namespace detail

std::vector<std::string> default_privileged_patterns() {
  return {R"(\.privileged.mcollective$)", R"(\.privileged.choria$)"};
}

std::vector<std::string> default_allowed_patterns() {
  return {R"(\.mcollective$)", R"(\.choria$)"};
}

std::optional<std::string> certname_from_callerid(std::string_view caller_id) {
  // ^[a-z]+=([\w\.\-]+), unanchored at the end as in go-choria.
  std::size_t equals = 0;
  while (equals < caller_id.size() && caller_id[equals] >= 'a' &&
         caller_id[equals] <= 'z')
    ++equals;
  if (equals == 0 || equals == caller_id.size() || caller_id[equals] != '=')
    return std::nullopt;

  auto is_name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  };
  std::size_t end = equals + 1;
  while (end < caller_id.size() && is_name_char(caller_id[end])) ++end;
  if (end == equals + 1) return std::nullopt;
  return std::string(caller_id.substr(equals + 1, end - equals - 1));
}

bool matches_any(std::string_view name,
                 const std::vector<std::string>& patterns) {
  std::string error;
  auto set = detail::pattern_set::compile(patterns, &error);
  if (set) return set->matches(name);

  // One invalid expression must not hide the valid ones.
  for (const auto& pattern : patterns) {
    auto single = detail::pattern_set::compile({pattern}, &error);
    if (single && single->matches(name)) return true;
  }
  return false;
}

std::string_view to_string(rejection reason) {
  switch (reason) {
    case rejection::none:
      return "none";
    case rejection::malformed:
      return "malformed";
    case rejection::untrusted_cert:
      return "untrusted_cert";
    case rejection::callerid_mismatch:
      return "callerid_mismatch";
    case rejection::not_allowed:
      return "not_allowed";
    case rejection::bad_signature:
      return "bad_signature";
    case rejection::expired:
      return "expired";
    case rejection::no_reply_to:
      return "no_reply_to";
  }
  return "unknown";
}

}  // namespace gateway::choria

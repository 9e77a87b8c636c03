#include "gateway/sim/filter_matcher.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace gateway::sim {
namespace {

bool is_regex_literal(std::string_view text) {
  return text.size() >= 2 && text.front() == '/' && text.back() == '/';
}

std::optional<std::regex> compile(std::string_view pattern) {
  try {
    return std::regex(pattern.begin(), pattern.end(), std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

// Parses the whole of text as a decimal number.
std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double number = 0;
  auto end = text.data() + text.size();
  auto [rest, code] = std::from_chars(text.data(), end, number);
  if (code != std::errc() || rest != end) return std::nullopt;
  return number;
}

// The text a scalar fact compares as; nullopt for null, objects and arrays.
std::optional<std::string> fact_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  return std::nullopt;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return text;
}

// Removes the slashes go-choria trims from a fact regex.
std::string_view trim_slashes(std::string_view text) {
  while (!text.empty() && text.front() == '/') text.remove_prefix(1);
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  return text;
}

template <typename T>
bool ordered(const T& left, std::string_view op, const T& right) {
  if (op == "==") return left == right;
  if (op == "!=") return left != right;
  if (op == "<") return left < right;
  if (op == ">") return left > right;
  if (op == "<=") return left <= right;
  if (op == ">=") return left >= right;
  return false;
}

bool any_matches(const std::vector<name_pattern>& patterns,
                 std::string_view name) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const name_pattern& p) { return p.matches(name); });
}

// True when every pattern matches at least one of names.
bool all_present(const std::vector<name_pattern>& patterns,
                 const std::vector<std::string>& names) {
  return std::all_of(
      patterns.begin(), patterns.end(), [&](const name_pattern& pattern) {
        return std::any_of(names.begin(), names.end(),
                           [&](const auto& n) { return pattern.matches(n); });
      });
}

}  // namespace

name_pattern::name_pattern(std::string text) : text_(std::move(text)) {
  if (!is_regex_literal(text_)) return;
  regex_ = compile(std::string_view(text_).substr(1, text_.size() - 2));
  invalid_ = !regex_.has_value();
}

bool name_pattern::matches(std::string_view name) const {
  if (invalid_) return false;
  if (!regex_) return name == text_;
  return std::regex_search(name.begin(), name.end(), *regex_);
}

fact_matcher::fact_matcher(const choria::fact_filter& entry)
    : fact_(entry.fact), op_(entry.op), value_(entry.value) {
  number_ = parse_number(value_);
  if (op_ == "=~") regex_ = compile(trim_slashes(value_));
}

bool fact_matcher::matches(const nlohmann::json& facts) const {
  const nlohmann::json* value = find_fact(facts, fact_);
  if (value == nullptr) return false;
  auto text = fact_text(*value);
  if (!text) return false;
  if (value->is_boolean() && (op_ == "==" || op_ == "!=")) {
    return ordered(*text, op_, lowercase(value_));
  }
  return compare(*text);
}

bool fact_matcher::compare(std::string_view text) const {
  if (op_ == "=~") {
    return regex_ && std::regex_search(text.begin(), text.end(), *regex_);
  }
  auto fact_number = parse_number(text);
  if (fact_number && number_) return ordered(*fact_number, op_, *number_);
  return ordered(text, op_, std::string_view(value_));
}

filter_matcher::filter_matcher(const choria::filter& target) {
  supported_ = target.compound.is_null() || target.compound.empty();
  for (const auto& identity : target.identity) {
    identities_.emplace_back(identity);
  }
  for (const auto& name : target.cf_class) classes_.emplace_back(name);
  for (const auto& name : target.agent) agents_.emplace_back(name);
  for (const auto& entry : target.fact) facts_.emplace_back(entry);
}

bool filter_matcher::matches(const node_profile& node) const {
  if (!supported_) return false;
  if (!identities_.empty() && !any_matches(identities_, node.identity)) {
    return false;
  }
  if (!all_present(classes_, node.classes)) return false;
  if (!all_present(agents_, node.agents)) return false;
  return std::all_of(facts_.begin(), facts_.end(), [&](const auto& fact) {
    return fact.matches(node.facts);
  });
}

}  // namespace gateway::sim

// A Choria target filter compiled once per request and then matched against
// every simulated node, following go-choria's rules: the kinds (identity,
// cf_class, agent, fact) are ANDed, the identities are ORed, and every
// class, agent and fact entry must match.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/choria/protocol.hpp"
#include "gateway/sim/node_profile.hpp"

namespace gateway::sim {

// A name pattern as used in identity, class and agent filters: "/re/" is an
// ECMAScript regular expression searched in the name, anything else must
// equal the name. A regular expression that does not compile matches
// nothing, as go-choria treats a regex error as no match.
class name_pattern {
 public:
  explicit name_pattern(std::string text);
  [[nodiscard]] bool matches(std::string_view name) const;

 private:
  std::string text_;
  std::optional<std::regex> regex_;
  bool invalid_ = false;
};

// Matches one fact against a fact filter entry. Operators:
//   == !=        numeric when the fact and the value both parse as numbers,
//                else text equality (true/false facts compare as the text
//                "true"/"false", the value case-insensitively)
//   < > <= >=    numeric when both parse as numbers, else byte-wise text
//                order
//   =~           ECMAScript regex search in the fact's text; surrounding
//                slashes of the value are removed
// An absent fact, or one that is an object, array or null, matches no
// operator, not even !=.
class fact_matcher {
 public:
  explicit fact_matcher(const choria::fact_filter& entry);
  [[nodiscard]] bool matches(const nlohmann::json& facts) const;

 private:
  [[nodiscard]] bool compare(std::string_view text) const;

  std::string fact_;
  std::string op_;
  std::string value_;
  std::optional<double> number_;
  std::optional<std::regex> regex_;
};

class filter_matcher {
 public:
  // Compiles every pattern and regex of target once.
  explicit filter_matcher(const choria::filter& target);

  // False when the filter has compound expressions, which the simulator
  // does not evaluate; such a filter matches no node.
  [[nodiscard]] bool supported() const { return supported_; }

  // True when node passes every kind of the filter. Thread safe.
  [[nodiscard]] bool matches(const node_profile& node) const;

 private:
  bool supported_ = true;
  std::vector<name_pattern> identities_;
  std::vector<name_pattern> classes_;
  std::vector<name_pattern> agents_;
  std::vector<fact_matcher> facts_;
};

}  // namespace gateway::sim

// The simulated nodes of one process, with an index by identity and the
// nodes that stay silent. Immutable after construction, so thread safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gateway/sim/fleet_options.hpp"
#include "gateway/sim/node_profile.hpp"

namespace gateway::sim {

class node_set {
 public:
  // Builds options.count nodes named by options.name_format, with facts from
  // options.facts_path or generated ones, and the agents of options.agents.
  // Returns nullopt and sets *error on an invalid name format, a duplicate
  // identity, or an unreadable facts file.
  [[nodiscard]] static std::optional<node_set> create(
      const fleet_options& options, std::string* error);

  node_set(std::vector<node_profile> nodes,
           const std::vector<std::string>& silent);

  [[nodiscard]] const std::vector<node_profile>& nodes() const {
    return nodes_;
  }
  // The position of identity in nodes(), or nullopt.
  [[nodiscard]] std::optional<std::size_t> find(
      std::string_view identity) const;
  // True when the node at position drops every request.
  [[nodiscard]] bool silent(std::size_t position) const {
    return silent_[position];
  }

 private:
  std::vector<node_profile> nodes_;
  std::unordered_map<std::string, std::size_t> by_identity_;
  std::vector<bool> silent_;
};

// Splits --silent values into name patterns: a value written /regex/ stays
// whole, any other value is a comma-separated list of identities.
[[nodiscard]] std::vector<std::string> split_silent_values(
    const std::vector<std::string>& values);

}  // namespace gateway::sim

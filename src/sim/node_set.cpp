#include "gateway/sim/node_set.hpp"

#include "gateway/sim/fact_source.hpp"
#include "gateway/sim/filter_matcher.hpp"

namespace gateway::sim {
namespace {

// The facts of each node, from the file when one is given.
std::optional<std::vector<node_profile>> build_profiles(
    const fleet_options& options, std::string* error) {
  std::optional<facts_file> file;
  if (!options.facts_path.empty()) {
    file = facts_file::load(options.facts_path, error);
    if (!file) return std::nullopt;
  }

  auto agents = node_agents(options.agents);
  std::vector<node_profile> nodes;
  nodes.reserve(options.count);
  for (std::size_t index = 1; index <= options.count; ++index) {
    auto identity = format_identity(options.name_format, index, error);
    if (!identity) return std::nullopt;

    auto facts =
        file ? file->facts_for(*identity) : generate_facts(index, *identity);
    nodes.push_back(node_profile{index, *identity, std::move(facts.facts),
                                 std::move(facts.classes), agents});
  }
  return nodes;
}

}  // namespace

std::optional<node_set> node_set::create(const fleet_options& options,
                                         std::string* error) {
  auto profiles = build_profiles(options, error);
  if (!profiles) return std::nullopt;

  node_set result(std::move(*profiles), split_silent_values(options.silent));
  if (result.by_identity_.size() != result.nodes_.size()) {
    *error = "--name-format \"" + options.name_format +
             "\" gives the same identity to several nodes; include {index}";
    return std::nullopt;
  }
  return result;
}

node_set::node_set(std::vector<node_profile> nodes,
                   const std::vector<std::string>& silent)
    : nodes_(std::move(nodes)) {
  std::vector<name_pattern> patterns(silent.begin(), silent.end());
  silent_.reserve(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    by_identity_.emplace(nodes_[i].identity, i);
    bool mute = false;
    for (const auto& pattern : patterns) {
      mute = mute || pattern.matches(nodes_[i].identity);
    }
    silent_.push_back(mute);
  }
}

std::optional<std::size_t> node_set::find(std::string_view identity) const {
  auto found = by_identity_.find(std::string(identity));
  if (found == by_identity_.end()) return std::nullopt;
  return found->second;
}

std::vector<std::string> split_silent_values(
    const std::vector<std::string>& values) {
  std::vector<std::string> patterns;
  for (const auto& value : values) {
    if (value.size() >= 2 && value.front() == '/' && value.back() == '/') {
      patterns.push_back(value);
      continue;
    }
    std::size_t start = 0;
    while (start <= value.size()) {
      auto comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      auto name = value.substr(start, comma - start);
      auto first = name.find_first_not_of(" \t");
      if (first != std::string::npos) {
        auto last = name.find_last_not_of(" \t");
        patterns.push_back(name.substr(first, last - first + 1));
      }
      start = comma + 1;
    }
  }
  return patterns;
}

}  // namespace gateway::sim

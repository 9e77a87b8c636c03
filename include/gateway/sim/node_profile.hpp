// One simulated node: its identity, facts, classes and agents.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gateway::sim {

struct node_profile {
  std::size_t index = 0;  // 1-based position in the fleet
  std::string identity;   // for example "node-1.example.net"
  nlohmann::json facts = nlohmann::json::object();
  std::vector<std::string> classes;
  std::vector<std::string> agents;  // sorted
};

// Looks up a fact by name. A name that is not a top-level key is read as a
// dotted path into nested objects and arrays ("os.release.major",
// "disks.0.size"), as go-choria does with gjson paths. Returns nullptr when
// the fact is absent.
[[nodiscard]] const nlohmann::json* find_fact(const nlohmann::json& facts,
                                              std::string_view name);

}  // namespace gateway::sim

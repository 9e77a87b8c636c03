// Identities, facts and classes of simulated nodes, generated from each
// node's index or loaded from a JSON facts file.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gateway::sim {

// Formats the identity of the node at 1-based index with a fmt format string
// whose only argument is named index: "node-{index}.example.net" gives
// "node-7.example.net", and "node-{index:04}.example.net" gives
// "node-0007.example.net". Returns nullopt and sets *error when the format
// is invalid or the result is not a valid NATS subject suffix (empty, or
// containing whitespace, '*', '>' or an empty dot-separated token).
[[nodiscard]] std::optional<std::string> format_identity(
    const std::string& name_format, std::size_t index, std::string* error);

// Facts and classes of one node.
struct node_facts {
  nlohmann::json facts = nlohmann::json::object();
  std::vector<std::string> classes;
};

// Generates the facts of the node at 1-based index:
//   country    "mt", "de", "us" in turn (index 1 is "mt")
//   role       "web" for odd indexes, "db" for even ones
//   cpu_count  2, 4, 8 in turn (index 1 has 2)
//   index      the index as a number
//   fqdn       the identity
// and the classes "base" and "role::<role>".
[[nodiscard]] node_facts generate_facts(std::size_t index,
                                        const std::string& identity);

// A parsed facts file: a JSON object mapping an identity, or "*" for the
// defaults, to {"facts": {...}, "classes": [...]}. Both keys are optional.
class facts_file {
 public:
  // Parses text. Returns nullopt and sets *error naming the key that is
  // not of the expected type.
  [[nodiscard]] static std::optional<facts_file> parse(std::string_view text,
                                                       std::string* error);
  // Reads and parses the file at path; *error names the path on failure.
  [[nodiscard]] static std::optional<facts_file> load(const std::string& path,
                                                      std::string* error);

  // The facts of identity: the "*" facts with the node's own facts merged
  // over them key by key (a shallow merge, like Ruby's Hash#merge in
  // MCollective), and the node's own classes when it lists any, else the
  // "*" classes. A node missing from the file gets the defaults alone.
  [[nodiscard]] node_facts facts_for(const std::string& identity) const;

 private:
  node_facts defaults_;
  std::map<std::string, node_facts, std::less<>> nodes_;
};

}  // namespace gateway::sim

// Builds the body of POST /v1/requests from command-line arguments in the
// forms Choria's `mco rpc` and `choria req` accept.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gateway::client {

// Parses one action input. "key=value" gives true or false for those
// words, an integer for an optional minus sign and digits, and the text
// otherwise. "key:=json" gives the parsed JSON value. Returns nullopt and
// sets *error when the key is empty, '=' is missing or the JSON is invalid.
[[nodiscard]] std::optional<std::pair<std::string, nlohmann::json>> parse_input(
    const std::string& argument, std::string* error);

// Parses a fact filter: "fact=value" and "fact==value" (equal),
// "fact!=value", "fact>=value", "fact<=value", "fact>value",
// "fact<value", "fact=~regex" and "fact=/regex/" (match). Returns
// {"fact","operator","value"}, or nullopt with *error set.
[[nodiscard]] std::optional<nlohmann::json> parse_fact_filter(
    const std::string& argument, std::string* error);

// Reads node names from text: one a line, with blank lines and lines
// starting with '#' skipped and spaces around names trimmed.
[[nodiscard]] std::vector<std::string> parse_node_list(const std::string& text);

struct request_arguments {
  std::string agent;
  std::string action;
  std::vector<std::string> inputs;  // key=value or key:=json
  std::vector<std::string> identity;
  std::vector<std::string> classes;
  std::vector<std::string> facts;
  std::vector<std::string> agents;
  std::vector<std::string> nodes;  // from --nodes; skips discovery
  std::string collective;
  std::optional<int> timeout;
  std::optional<int> discovery_timeout;
  std::optional<int> ttl;
  std::optional<int> batch_size;
  std::optional<double> batch_sleep;
  bool broadcast = false;
};

// The submit body for arguments; fields left unset are omitted, so the
// gateway applies its defaults. Returns nullopt and sets *error naming the
// argument when one is invalid.
[[nodiscard]] std::optional<nlohmann::json> make_request_body(
    const request_arguments& arguments, std::string* error);

}  // namespace gateway::client

#include "gateway/client/request_body.hpp"

#include <array>
#include <cctype>
#include <sstream>
#include <string_view>

#include "gateway/common/json_limits.hpp"

namespace gateway::client {
namespace {

using json = nlohmann::json;

json typed_value(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  std::string_view digits = text;
  if (digits.starts_with('-')) digits.remove_prefix(1);
  bool integer = !digits.empty() && digits.size() <= 18;
  for (char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c))) integer = false;
  if (integer) return std::stoll(text);
  return text;
}

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

json filter_object(const request_arguments& arguments, std::string* error) {
  json filter = json::object();
  if (!arguments.identity.empty()) filter["identity"] = arguments.identity;
  if (!arguments.classes.empty()) filter["cf_class"] = arguments.classes;
  if (!arguments.agents.empty()) filter["agent"] = arguments.agents;
  for (const auto& argument : arguments.facts) {
    auto fact = parse_fact_filter(argument, error);
    if (!fact) return nullptr;
    filter["fact"].push_back(*fact);
  }
  return filter;
}

}  // namespace

std::optional<std::pair<std::string, json>> parse_input(
    const std::string& argument, std::string* error) {
  auto equals = argument.find('=');
  if (equals == std::string::npos || equals == 0 ||
      (equals == 1 && argument[0] == ':')) {
    *error = "the input " + argument +
             " must be key=value, or key:=JSON for a JSON value";
    return std::nullopt;
  }
  if (argument[equals - 1] != ':')
    return std::pair{argument.substr(0, equals),
                     typed_value(argument.substr(equals + 1))};

  auto text = argument.substr(equals + 1);
  json value = json_nesting_exceeds(text, max_json_depth)
                   ? json(json::value_t::discarded)
                   : json::parse(text, nullptr, false);
  if (value.is_discarded()) {
    *error = "the input " + argument + " has invalid JSON after :=";
    return std::nullopt;
  }
  return std::pair{argument.substr(0, equals - 1), value};
}

std::optional<json> parse_fact_filter(const std::string& argument,
                                      std::string* error) {
  // Longer operators first, so that ">=" is not read as ">".
  static constexpr std::array<std::string_view, 8> operators = {
      "=~", "==", "!=", ">=", "<=", ">", "<", "="};
  auto position = argument.find_first_of("=!<>");
  if (position == std::string::npos || position == 0) {
    *error = "the fact filter " + argument +
             " must be FACT OPERATOR VALUE, such as country=mt or "
             "memory_gb>=4 (operators: = == != >= <= > < =~)";
    return std::nullopt;
  }
  std::string_view rest = std::string_view(argument).substr(position);
  for (auto op : operators) {
    if (!rest.starts_with(op)) continue;
    std::string value(rest.substr(op.size()));
    std::string name = op == "=" ? "==" : std::string(op);
    // fact=/regex/ is Choria's other spelling of a match.
    if (name == "==" && value.size() >= 2 && value.front() == '/' &&
        value.back() == '/') {
      name = "=~";
      value = value.substr(1, value.size() - 2);
    }
    if (value.empty()) break;
    return json{{"fact", trim(argument.substr(0, position))},
                {"operator", name},
                {"value", value}};
  }
  *error = "the fact filter " + argument + " has no value after the operator";
  return std::nullopt;
}

std::vector<std::string> parse_node_list(const std::string& text) {
  std::vector<std::string> nodes;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    line = trim(line);
    if (!line.empty() && line.front() != '#') nodes.push_back(line);
  }
  return nodes;
}

std::optional<json> make_request_body(const request_arguments& arguments,
                                      std::string* error) {
  json body = {{"agent", arguments.agent},
               {"action", arguments.action},
               {"data", json::object()}};
  for (const auto& argument : arguments.inputs) {
    auto input = parse_input(argument, error);
    if (!input) return std::nullopt;
    body["data"][input->first] = input->second;
  }

  json filter = filter_object(arguments, error);
  if (filter.is_null()) return std::nullopt;
  if (!filter.empty()) body["filter"] = filter;
  if (!arguments.nodes.empty()) body["nodes"] = arguments.nodes;

  if (!arguments.collective.empty()) body["collective"] = arguments.collective;
  if (arguments.timeout) body["timeout"] = *arguments.timeout;
  if (arguments.discovery_timeout)
    body["discovery_timeout"] = *arguments.discovery_timeout;
  if (arguments.ttl) body["ttl"] = *arguments.ttl;
  if (arguments.broadcast) body["mode"] = "broadcast";
  if (arguments.batch_size) body["batch_size"] = *arguments.batch_size;
  if (arguments.batch_sleep) body["batch_sleep"] = *arguments.batch_sleep;
  return body;
}

}  // namespace gateway::client

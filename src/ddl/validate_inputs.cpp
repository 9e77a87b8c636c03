#include "gateway/ddl/validate_inputs.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "src/ddl/string_validators.hpp"

namespace gateway::ddl {
namespace {

using json = nlohmann::json;

// Sent by the old mco client and deleted by nodes before they validate.
constexpr std::string_view process_results = "process_results";

void set_error(std::string* error, std::string message) {
  if (error) *error = std::move(message);
}

template <typename Map>
std::string join_keys(const Map& map) {
  std::string joined;
  for (const auto& [key, value] : map) {
    if (!joined.empty()) joined += ", ";
    joined += key;
  }
  return joined;
}

std::string join(const std::vector<std::string>& values) {
  std::string joined;
  for (const auto& value : values) {
    if (!joined.empty()) joined += ", ";
    joined += value;
  }
  return joined;
}

std::string_view type_with_article(input_type type) {
  switch (type) {
    case input_type::string_value:
      return "a string";
    case input_type::integer:
      return "an integer";
    case input_type::float_number:
      return "a float";
    case input_type::number:
      return "a number";
    case input_type::boolean:
      return "a boolean";
    case input_type::list:
      return "a string";
    case input_type::hash:
      return "a hash (JSON object)";
    case input_type::array:
      return "an array";
  }
  return "valid";
}

bool has_type(const json& value, input_type type) {
  switch (type) {
    case input_type::string_value:
    case input_type::list:
      return value.is_string();
    case input_type::integer:
      if (value.is_number_integer()) return true;
      if (!value.is_number_float()) return false;
      return std::isfinite(value.get<double>()) &&
             std::trunc(value.get<double>()) == value.get<double>();
    case input_type::float_number:
    case input_type::number:
      return value.is_number();
    case input_type::boolean:
      return value.is_boolean();
    case input_type::hash:
      return value.is_object();
    case input_type::array:
      return value.is_array();
  }
  return false;
}

bool passes_validator(const input_spec& spec, const std::string& text) {
  switch (spec.validator) {
    case validator_kind::none:
    case validator_kind::unsupported:
      return true;
    case validator_kind::shellsafe:
      return is_shellsafe(text);
    case validator_kind::ipv4address:
      return is_ipv4_address(text);
    case validator_kind::ipv6address:
      return is_ipv6_address(text);
    case validator_kind::ipaddress:
      return is_ipv4_address(text) || is_ipv6_address(text);
    case validator_kind::regex:
      // The standard lets regex_search throw regex_error (error_complexity
      // or error_stack), and that counts as no match.
      try {
        return spec.pattern && std::regex_search(text, *spec.pattern);
      } catch (const std::regex_error&) {
        return false;
      }
  }
  return false;
}

// Checks the length and validation of a string input's value.
bool check_string(const input_spec& spec, const std::string& text,
                  std::string* error) {
  std::size_t limit = spec.maxlength;
  if (spec.validator == validator_kind::regex &&
      (limit == 0 || limit > max_regex_subject)) {
    limit = max_regex_subject;
  }
  if (limit != 0 && text.size() > limit) {
    set_error(error, "input " + spec.name + " is longer than " +
                         std::to_string(limit) + " characters");
    return false;
  }
  if (!passes_validator(spec, text)) {
    set_error(error,
              "input " + spec.name + " does not match " + spec.validation);
    return false;
  }
  return true;
}

bool check_value(const input_spec& spec, const json& value,
                 std::string* error) {
  if (spec.type == input_type::list) {
    bool allowed =
        value.is_string() &&
        std::find(spec.list.begin(), spec.list.end(),
                  value.get_ref<const std::string&>()) != spec.list.end();
    if (!allowed) {
      set_error(error,
                "input " + spec.name + " must be one of " + join(spec.list));
    }
    return allowed;
  }
  if (!has_type(value, spec.type)) {
    set_error(error, "input " + spec.name + " must be " +
                         std::string(type_with_article(spec.type)));
    return false;
  }
  if (spec.type == input_type::string_value) {
    return check_string(spec, value.get_ref<const std::string&>(), error);
  }
  return true;
}

bool check_declared(const action_spec& action, const json& data,
                    std::string* error) {
  for (const auto& [name, spec] : action.inputs) {
    auto found = data.find(name);
    if (found == data.end()) {
      if (spec.optional) continue;
      set_error(error, "input " + name + " is required");
      return false;
    }
    if (!check_value(spec, *found, error)) return false;
  }
  return true;
}

bool check_undeclared(const agent_ddl& agent, const action_spec& action,
                      const json& data, std::string* error) {
  for (const auto& [name, value] : data.items()) {
    if (name == process_results || action.inputs.contains(name)) continue;
    std::string known = action.inputs.empty()
                            ? "it declares no inputs"
                            : "inputs: " + join_keys(action.inputs);
    set_error(error, "input " + name + " is not an input of " + agent.name +
                         "." + action.name + "; " + known);
    return false;
  }
  return true;
}

}  // namespace

bool validate_inputs(const agent_ddl& agent, std::string_view action,
                     json& data, std::string* error) {
  auto found = agent.actions.find(action);
  if (found == agent.actions.end()) {
    set_error(error, "unknown action " + agent.name + "." +
                         std::string(action) +
                         "; known: " + join_keys(agent.actions));
    return false;
  }
  const action_spec& spec = found->second;

  const json empty = json::object();
  const json& inputs = data.is_null() ? empty : data;
  if (!inputs.is_object()) {
    set_error(error, "data must be a JSON object");
    return false;
  }
  if (!check_declared(spec, inputs, error) ||
      !check_undeclared(agent, spec, inputs, error)) {
    return false;
  }

  // Only now change data, so that a rejected request leaves it as it was.
  if (data.is_null()) data = json::object();
  for (const auto& [name, input] : spec.inputs) {
    if (input.default_value && !data.contains(name)) {
      data[name] = *input.default_value;
    }
  }
  return true;
}

}  // namespace gateway::ddl

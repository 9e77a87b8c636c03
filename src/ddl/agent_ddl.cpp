#include "gateway/ddl/agent_ddl.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <utility>

namespace gateway::ddl {
namespace {

using json = nlohmann::json;

constexpr std::array<std::pair<std::string_view, input_type>, 8> type_names{{
    {"string", input_type::string_value},
    {"integer", input_type::integer},
    {"float", input_type::float_number},
    {"number", input_type::number},
    {"boolean", input_type::boolean},
    {"list", input_type::list},
    {"hash", input_type::hash},
    {"array", input_type::array},
}};

void set_error(std::string* error, std::string message) {
  if (error) *error = std::move(message);
}

std::string lowercase(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

// The string at key, "" when it is absent, nullopt when it is no string.
std::optional<std::string> optional_string(const json& object,
                                           std::string_view key) {
  auto found = object.find(key);
  if (found == object.end()) return std::string();
  if (!found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

std::optional<input_type> parse_type(const std::string& name) {
  std::string lower = lowercase(name);
  for (const auto& [text, type] : type_names) {
    if (text == lower) return type;
  }
  return std::nullopt;
}

// Sets validator and pattern from spec.validation. Returns false with
// error set when the regex does not compile.
bool classify_validation(input_spec& spec, std::string& error) {
  const std::string& text = spec.validation;
  if (text.empty()) {
    spec.validator = validator_kind::none;
  } else if (text == "shellsafe") {
    spec.validator = validator_kind::shellsafe;
  } else if (text == "ipv4address") {
    spec.validator = validator_kind::ipv4address;
  } else if (text == "ipv6address") {
    spec.validator = validator_kind::ipv6address;
  } else if (text == "ipaddress") {
    spec.validator = validator_kind::ipaddress;
  } else if (text[0] >= 'a' && text[0] <= 'z') {
    spec.validator = validator_kind::unsupported;
  } else {
    spec.validator = validator_kind::regex;
    try {
      spec.pattern.emplace(text, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      error =
          "validation is not a valid regex: " + text + " (" + e.what() + ")";
      return false;
    }
  }
  return true;
}

// maxlength as a byte count; nullopt when it is no non-negative integer.
std::optional<std::size_t> parse_maxlength(const json& object) {
  auto found = object.find("maxlength");
  if (found == object.end() || found->is_null()) return 0;
  if (found->is_number_unsigned()) return found->get<std::size_t>();
  if (found->is_number_integer() && found->get<std::int64_t>() >= 0) {
    return static_cast<std::size_t>(found->get<std::int64_t>());
  }
  if (found->is_number_float()) {
    double value = found->get<double>();
    if (value >= 0 && value < 1e15 && std::trunc(value) == value) {
      return static_cast<std::size_t>(value);
    }
  }
  return std::nullopt;
}

bool parse_list(const json& object, input_spec& spec, std::string& error) {
  auto found = object.find("list");
  if (found == object.end() || !found->is_array() || found->empty()) {
    error = "a list input needs a non-empty list of allowed values";
    return false;
  }
  for (const json& value : *found) {
    if (!value.is_string()) {
      error = "list values must be strings";
      return false;
    }
    spec.list.push_back(value.get<std::string>());
  }
  return true;
}

// Reads the fields of one input. On failure error describes the fault
// without naming the input, which the caller adds.
bool parse_input_fields(const json& object, input_spec& spec,
                        std::string& error) {
  if (!object.is_object()) {
    error = "must be a JSON object";
    return false;
  }

  auto type_text = optional_string(object, "type");
  std::optional<input_type> type;
  if (type_text) type = parse_type(*type_text);
  if (!type) {
    error = "unknown type '" + type_text.value_or("") +
            "'; expected string, integer, float, number, boolean, list, "
            "hash or array";
    return false;
  }
  spec.type = *type;

  auto optional = object.find("optional");
  if (optional != object.end() && !optional->is_boolean()) {
    error = "optional must be true or false";
    return false;
  }
  spec.optional = optional != object.end() && optional->get<bool>();

  auto fallback = object.find("default");
  if (fallback != object.end() && !fallback->is_null()) {
    spec.default_value = *fallback;
  }

  auto prompt = optional_string(object, "prompt");
  auto description = optional_string(object, "description");
  auto validation = optional_string(object, "validation");
  if (!prompt || !description || !validation) {
    error = "prompt, description and validation must be strings";
    return false;
  }
  spec.prompt = *prompt;
  spec.description = *description;
  spec.validation = *validation;

  auto maxlength = parse_maxlength(object);
  if (!maxlength) {
    error = "maxlength must be a non-negative integer";
    return false;
  }
  spec.maxlength = *maxlength;

  if (spec.type == input_type::list && !parse_list(object, spec, error)) {
    return false;
  }
  return classify_validation(spec, error);
}

bool parse_action(const json& object, agent_ddl& agent, std::string& error) {
  auto name = optional_string(object, "action");
  if (!object.is_object() || !name || name->empty()) {
    error = "every action needs a non-empty string \"action\"";
    return false;
  }
  if (agent.actions.contains(*name)) {
    error = "action " + *name + " is declared twice";
    return false;
  }

  action_spec action;
  action.name = *name;
  action.description = optional_string(object, "description").value_or("");

  auto inputs = object.find("input");
  if (inputs != object.end() && !inputs->is_object()) {
    error = "action " + *name + ": input must be a JSON object";
    return false;
  }
  if (inputs != object.end()) {
    for (const auto& [input_name, input_object] : inputs->items()) {
      input_spec spec;
      spec.name = input_name;
      if (!parse_input_fields(input_object, spec, error)) {
        error = "action " + *name + " input " + input_name + ": " + error;
        return false;
      }
      if (spec.validator == validator_kind::unsupported) {
        agent.unsupported_validators.push_back(*name + "." + input_name + ": " +
                                               spec.validation);
      }
      action.inputs.emplace(input_name, std::move(spec));
    }
  }

  agent.actions.emplace(*name, std::move(action));
  return true;
}

bool parse_metadata(const json& document, agent_ddl& agent,
                    std::string& error) {
  auto metadata = document.find("metadata");
  if (metadata == document.end() || !metadata->is_object()) {
    error = "metadata must be a JSON object";
    return false;
  }

  auto name = optional_string(*metadata, "name");
  if (!name || name->empty()) {
    error = "metadata.name must be a non-empty string";
    return false;
  }
  agent.name = *name;
  agent.description = optional_string(*metadata, "description").value_or("");
  agent.version = optional_string(*metadata, "version").value_or("");

  auto timeout = metadata->find("timeout");
  if (timeout == metadata->end()) return true;
  if (!timeout->is_number_integer() || timeout->get<std::int64_t>() < 0) {
    error = "metadata.timeout must be a non-negative integer of seconds";
    return false;
  }
  agent.timeout = timeout->get<std::int64_t>();
  return true;
}

}  // namespace

std::string_view type_name(input_type type) {
  for (const auto& [text, value] : type_names) {
    if (value == type) return text;
  }
  return "unknown";
}

std::optional<agent_ddl> parse_agent_ddl(std::string_view json_text,
                                         std::string* error) {
  json document = json::parse(json_text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    set_error(error, "DDL is not a JSON object");
    return std::nullopt;
  }

  agent_ddl agent;
  std::string message;
  if (!parse_metadata(document, agent, message)) {
    set_error(error, message);
    return std::nullopt;
  }

  auto actions = document.find("actions");
  if (actions == document.end() || !actions->is_array()) {
    set_error(error, "actions must be a JSON array");
    return std::nullopt;
  }
  for (const json& action : *actions) {
    if (!parse_action(action, agent, message)) {
      set_error(error, message);
      return std::nullopt;
    }
  }
  return agent;
}

std::int64_t default_timeout(const agent_ddl& agent) {
  return agent.timeout == 0 ? 10 : agent.timeout;
}

}  // namespace gateway::ddl

// A Choria agent DDL in its JSON form (schema
// https://choria.io/schemas/mcorpc/ddl/v1/agent.json): the agent's metadata
// and, per action, the declared inputs with their types and checks.
//
// Everything here is plain data, immutable after parse_agent_ddl returns it,
// so one agent_ddl may be read from any number of threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gateway::ddl {

// The input types of the DDL schema. The schema also spells hash and array
// as "Hash" and "Array", so type names are read case-insensitively.
enum class input_type {
  string_value,
  integer,
  float_number,
  number,
  boolean,
  list,
  hash,
  array,
};

// The DDL spelling of a type: "string", "integer", "float", ...
std::string_view type_name(input_type type);

// The check that a string input's "validation" field selects.
enum class validator_kind {
  none,
  regex,
  shellsafe,
  ipv4address,
  ipv6address,
  ipaddress,
  // A name that starts with a lowercase letter but is none of the four
  // above. go-choria treats such a value as a named validator it does not
  // know, warns and skips the check, so the gateway accepts the DDL and
  // skips the check too. agent_ddl::unsupported_validators lists them.
  unsupported,
};

// One declared input of an action.
struct input_spec {
  std::string name;
  input_type type = input_type::string_value;
  std::string prompt;
  std::string description;
  // A missing "optional" field means required, as in go-choria.
  bool optional = false;
  // The declared default. A JSON null default counts as no default, as it
  // does in go-choria.
  std::optional<nlohmann::json> default_value;
  // The "validation" text as written in the DDL, and how it is applied.
  // Only string inputs are checked against it.
  std::string validation;
  validator_kind validator = validator_kind::none;
  // Compiled at load when validator is regex. ECMAScript grammar: the
  // patterns go-choria accepts are Go RE2 patterns, and the common subset
  // (\w, \s, \d, classes, anchors, groups) means the same in both.
  // NOTE: RE2-only syntax such as (?i) or \pL fails to compile here, and
  // the DDL is then rejected at load.
  std::optional<std::regex> pattern;
  // Maximum length of a string input in bytes; 0 means no limit.
  std::size_t maxlength = 0;
  // The allowed values of a list input.
  std::vector<std::string> list;
};

// One action of an agent and its inputs, keyed by input name.
struct action_spec {
  std::string name;
  std::string description;
  std::map<std::string, input_spec, std::less<>> inputs;
};

// A parsed agent DDL.
struct agent_ddl {
  std::string name;
  std::string description;
  std::string version;
  // metadata.timeout in seconds as written; see default_timeout.
  std::int64_t timeout = 0;
  std::map<std::string, action_spec, std::less<>> actions;
  // "action.input: validator" for every validator that is skipped because
  // go-choria does not know it either.
  std::vector<std::string> unsupported_validators;
};

// Parses and checks the JSON text of one agent DDL and compiles its regex
// validations. On failure returns nullopt and, when error is not null,
// stores a message that names the action and input at fault. Rejects
// invalid JSON, a missing metadata.name, a negative timeout, a duplicate
// action, an unknown input type, a list input without a list, and a regex
// that does not compile. Throws only std::bad_alloc.
[[nodiscard]] std::optional<agent_ddl> parse_agent_ddl(
    std::string_view json_text, std::string* error);

// The agent's timeout in seconds: metadata.timeout, or 10 when it is 0, as
// Choria clients do.
[[nodiscard]] std::int64_t default_timeout(const agent_ddl& agent);

}  // namespace gateway::ddl

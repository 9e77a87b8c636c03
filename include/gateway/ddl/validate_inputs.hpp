// Checks the data of an RPC request against the agent's DDL before the
// gateway publishes it, so that a bad request is rejected with 400 instead
// of failing on every node.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/ddl/agent_ddl.hpp"

namespace gateway::ddl {

// Validates data, the inputs of a request for agent.action, and on success
// adds the declared default of every absent input that has a non-null one.
// A null data counts as an empty object and is replaced by one. On failure
// returns false, leaves data unchanged and, when error is not null, stores
// one of these messages:
//   unknown action <agent>.<action>; known: <sorted action names>
//   data must be a JSON object
//   input <name> is required
//   input <name> must be <a type>               e.g. "must be an integer"
//   input <name> is longer than <maxlength> characters
//   input <name> does not match <validation>
//   input <name> must be one of <list values>
//   input <name> is not an input of <agent>.<action>; inputs: <names>
// The checks follow go-choria's ValidateRequestData, which nodes run on
// every request:
// - Every declared input is checked in name order before any undeclared
//   one. go-choria rejects undeclared inputs too, except
//   "process_results", which the old mco client adds and nodes delete, so
//   it is accepted here.
// - A required input that is absent is rejected even when it declares a
//   default, because nodes reject it too.
// - An integer input also accepts a float with no fractional part, and a
//   float input accepts any number, since Go decodes every JSON number as a
//   float64.
// - maxlength counts bytes of UTF-8, as Go's len() does. go-choria skips
//   the validation check of a string input whose maxlength is 0, but the
//   gateway applies it.
// - shellsafe rejects ` $ ; | && > and <. The address validators accept
//   what inet_pton accepts. An unsupported named validator is skipped.
// NOTE: std::regex matches recursively, using a few hundred bytes of stack
// per character, so a string longer than max_regex_subject bytes is
// rejected as too long before a regex is run on it, whatever its
// maxlength. The real DDLs declare maxlength of 512 or less.
// Thread safe: reads agent only. Throws only std::bad_alloc.
[[nodiscard]] bool validate_inputs(const agent_ddl& agent,
                                   std::string_view action,
                                   nlohmann::json& data, std::string* error);

// The maximum length, in bytes, of a string that validate_inputs runs a
// regex on.
inline constexpr std::size_t max_regex_subject = 4096;

}  // namespace gateway::ddl

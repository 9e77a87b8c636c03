#include "gateway/server/submit_parser.hpp"

#include <algorithm>
#include <regex>
#include <set>

#include "gateway/common/json_body.hpp"
#include "gateway/ddl/validate_inputs.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;

const std::set<std::string> known_fields = {
    "agent", "action",  "data",    "collective",        "filter",
    "nodes", "timeout", "ttl",     "discovery_timeout", "mode",
    "batch_size", "batch_sleep",
};

bool is_name(const std::string& text) {
  return !text.empty() && text.size() <= 64 &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '_';
         });
}

bool is_identity(const std::string& text) {
  return !text.empty() && text.size() <= 255 &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
         });
}

bool read_name(const json& body, const char* field, std::string& out,
               std::string* error) {
  auto found = body.find(field);
  if (found == body.end()) {
    *error = std::string(field) + " is required";
    return false;
  }
  if (!found->is_string() || !is_name(found->get<std::string>())) {
    *error = std::string(field) +
             " must be a string of 1 to 64 characters a-z, 0-9 and _";
    return false;
  }
  out = found->get<std::string>();
  return true;
}

bool read_seconds(const json& body, const char* field, std::int64_t low,
                  std::int64_t high, std::int64_t& out, std::string* error) {
  auto found = body.find(field);
  if (found == body.end()) return true;
  if (!found->is_number_integer() || *found < low || *found > high) {
    *error = std::string(field) + " must be an integer from " +
             std::to_string(low) + " to " + std::to_string(high);
    return false;
  }
  out = found->get<std::int64_t>();
  return true;
}

bool read_nodes(const json& body, rpc_request& out, std::string* error) {
  auto found = body.find("nodes");
  if (found == body.end()) return true;
  if (!found->is_array() || found->empty()) {
    *error = "nodes must be a non-empty array of node identities; leave it "
             "out to discover the targets with the filter";
    return false;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < found->size(); ++i) {
    const json& node = (*found)[i];
    if (!node.is_string() || !is_identity(node.get<std::string>())) {
      *error = "nodes[" + std::to_string(i) +
               "] must be a node identity of letters, digits, '.', '-' and "
               "'_'";
      return false;
    }
    if (seen.insert(node.get<std::string>()).second)
      out.nodes.push_back(node.get<std::string>());
  }
  return true;
}

bool valid_regex(const std::string& pattern) {
  try {
    std::regex(pattern, std::regex::ECMAScript);
    return true;
  } catch (const std::regex_error&) {
    return false;
  }
}

bool is_slashed(const std::string& entry) {
  return entry.size() >= 2 && entry.front() == '/' && entry.back() == '/';
}

// Checks the /regex/ entries of a list filter such as identity.
bool check_list_regexes(const std::vector<std::string>& entries,
                        const char* field, std::string* error) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    if (is_slashed(entry) &&
        !valid_regex(entry.substr(1, entry.size() - 2))) {
      *error = std::string("filter.") + field + "[" + std::to_string(i) +
               "] is not a valid regular expression";
      return false;
    }
  }
  return true;
}

// Checks the value of every =~ fact filter, written /regex/ or bare.
bool check_fact_regexes(const std::vector<choria::fact_filter>& facts,
                        std::string* error) {
  for (std::size_t i = 0; i < facts.size(); ++i) {
    if (facts[i].op != "=~") continue;
    std::string pattern = facts[i].value;
    if (is_slashed(pattern)) pattern = pattern.substr(1, pattern.size() - 2);
    if (!valid_regex(pattern)) {
      *error = "filter.fact[" + std::to_string(i) +
               "].value is not a valid regular expression";
      return false;
    }
  }
  return true;
}

bool check_regexes(const choria::filter& target, std::string* error) {
  return check_list_regexes(target.identity, "identity", error) &&
         check_list_regexes(target.cf_class, "cf_class", error) &&
         check_list_regexes(target.agent, "agent", error) &&
         check_fact_regexes(target.fact, error);
}

const std::set<std::string> known_filter_fields = {
    "identity", "cf_class", "agent", "fact", "compound"};

// Rejects keys other than fact, operator and value in the entries of
// filter.fact. filter_from_json checks the rest of each entry.
bool check_fact_keys(const json& filter, std::string* error) {
  auto facts = filter.find("fact");
  if (facts == filter.end() || !facts->is_array()) return true;
  for (std::size_t i = 0; i < facts->size(); ++i) {
    const json& entry = (*facts)[i];
    if (!entry.is_object()) continue;
    for (const auto& item : entry.items()) {
      if (item.key() == "fact" || item.key() == "operator" ||
          item.key() == "value")
        continue;
      *error = "filter.fact[" + std::to_string(i) + "]." + item.key() +
               ": unknown key; a fact filter has fact, operator and value";
      return false;
    }
  }
  return true;
}

bool read_filter(const json& body, rpc_request& out, std::string* error) {
  auto found = body.find("filter");
  if (found == body.end()) return true;
  if (!found->is_object()) {
    *error = "filter must be an object";
    return false;
  }
  for (const auto& item : found->items()) {
    if (!known_filter_fields.count(item.key())) {
      *error = "unknown field filter." + item.key() +
               "; filters are identity, cf_class, agent, fact and compound";
      return false;
    }
  }
  if (!check_fact_keys(*found, error)) return false;
  auto parsed = choria::filter_from_json(*found, error);
  if (!parsed) return false;
  if (!parsed->compound.empty()) {
    *error = "filter.compound is not supported; use identity, cf_class, "
             "agent and fact filters";
    return false;
  }
  if (!check_regexes(*parsed, error)) return false;
  out.target = std::move(*parsed);
  return true;
}

bool read_collective(const json& body, const settings& config,
                     rpc_request& out, std::string* error) {
  out.collective = config.main_collective;
  auto found = body.find("collective");
  if (found == body.end()) return true;
  const auto& allowed = config.collectives;
  if (!found->is_string() ||
      std::find(allowed.begin(), allowed.end(), found->get<std::string>()) ==
          allowed.end()) {
    std::string names;
    for (const auto& name : allowed) names += (names.empty() ? "" : ", ") + name;
    *error = "collective must be one of: " + names;
    return false;
  }
  out.collective = found->get<std::string>();
  return true;
}

bool read_mode(const json& body, rpc_request& out, std::string* error) {
  auto mode = body.find("mode");
  if (mode != body.end()) {
    if (!mode->is_string() || (*mode != "direct" && *mode != "broadcast")) {
      *error = "mode must be direct or broadcast";
      return false;
    }
    out.broadcast = *mode == "broadcast";
  }
  if (out.broadcast && !out.nodes.empty()) {
    *error = "mode broadcast cannot be combined with nodes, which are "
             "addressed directly; use a filter instead";
    return false;
  }

  auto size = body.find("batch_size");
  if (size != body.end()) {
    if (!size->is_number_integer() || *size < 0 || *size > 1000000) {
      *error = "batch_size must be an integer from 0 (no batches) to 1000000";
      return false;
    }
    out.batch_size = size->get<std::size_t>();
  }
  auto sleep = body.find("batch_sleep");
  if (sleep != body.end()) {
    if (!sleep->is_number() || *sleep < 0 || *sleep > 3600) {
      *error = "batch_sleep must be a number of seconds from 0 to 3600";
      return false;
    }
    out.batch_sleep_ms =
        static_cast<std::int64_t>(sleep->get<double>() * 1000.0);
  }
  if ((out.batch_size > 0 || out.batch_sleep_ms > 0) && out.broadcast) {
    *error = "batch_size and batch_sleep apply to mode direct only";
    return false;
  }
  return true;
}

bool apply_ddl(const json& body, const settings& config,
               const ddl::ddl_registry& ddls, rpc_request& out,
               std::string* error) {
  const ddl::agent_ddl* agent = ddls.find(out.agent);
  if (agent == nullptr) {
    if (config.allow_agents_without_ddl) return true;
    *error = "agent " + out.agent +
             " has no DDL in the gateway's DDL directory, and requests for "
             "agents without a DDL are not allowed";
    return false;
  }
  if (!ddl::validate_inputs(*agent, out.action, out.data, error)) {
    if (error->rfind("input ", 0) == 0) *error = "data." + error->substr(6);
    return false;
  }
  if (!body.contains("timeout")) {
    out.timeout_seconds = ddl::default_timeout(*agent);
    if (out.nodes.empty()) out.timeout_seconds += out.discovery_timeout_seconds;
  }
  return true;
}

}  // namespace

std::optional<rpc_request> parse_submit(std::string_view body,
                                        const settings& config,
                                        const ddl::ddl_registry* ddls,
                                        std::string* error) {
  auto document = parse_json_body(body, error);
  if (!document) return std::nullopt;
  const json& parsed = *document;
  if (!parsed.is_object()) {
    *error = "the body must be a JSON object";
    return std::nullopt;
  }
  for (const auto& item : parsed.items()) {
    if (!known_fields.count(item.key())) {
      *error = "unknown field " + item.key();
      return std::nullopt;
    }
  }

  rpc_request out;
  out.timeout_seconds = config.default_timeout_seconds;
  out.discovery_timeout_seconds = config.default_discovery_timeout_seconds;
  if (!read_name(parsed, "agent", out.agent, error) ||
      !read_name(parsed, "action", out.action, error) ||
      !read_collective(parsed, config, out, error) ||
      !read_filter(parsed, out, error) || !read_nodes(parsed, out, error) ||
      !read_seconds(parsed, "timeout", 1, 3600, out.timeout_seconds, error) ||
      !read_seconds(parsed, "discovery_timeout", 1, 60,
                    out.discovery_timeout_seconds, error) ||
      !read_seconds(parsed, "ttl", 30, 86400, out.ttl_seconds, error) ||
      !read_mode(parsed, out, error))
    return std::nullopt;

  auto data = parsed.find("data");
  if (data != parsed.end()) {
    if (!data->is_object()) {
      *error = "data must be an object of action inputs";
      return std::nullopt;
    }
    out.data = *data;
  }
  if (ddls != nullptr && !apply_ddl(parsed, config, *ddls, out, error))
    return std::nullopt;
  return out;
}

}  // namespace gateway

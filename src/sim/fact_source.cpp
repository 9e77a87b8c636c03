#include "gateway/sim/fact_source.hpp"

#include <array>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace gateway::sim {
namespace {

// True when identity can follow "<collective>.node." in a NATS subject.
bool valid_subject_suffix(std::string_view identity) {
  if (identity.empty() || identity.front() == '.' || identity.back() == '.') {
    return false;
  }
  if (identity.find("..") != std::string_view::npos) return false;
  for (char c : identity) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || c == '*' || c == '>') return false;
  }
  return true;
}

// Reads {"facts": {...}, "classes": [...]} stored under key.
std::optional<node_facts> parse_entry(const std::string& key,
                                      const nlohmann::json& entry,
                                      std::string* error) {
  if (!entry.is_object()) {
    *error = "facts file entry \"" + key + "\" must be an object";
    return std::nullopt;
  }
  node_facts result;
  if (auto facts = entry.find("facts"); facts != entry.end()) {
    if (!facts->is_object()) {
      *error = "facts file entry \"" + key + "\": facts must be an object";
      return std::nullopt;
    }
    result.facts = *facts;
  }
  if (auto classes = entry.find("classes"); classes != entry.end()) {
    if (!classes->is_array()) {
      *error = "facts file entry \"" + key + "\": classes must be an array";
      return std::nullopt;
    }
    for (const auto& name : *classes) {
      if (!name.is_string()) {
        *error = "facts file entry \"" + key +
                 "\": classes must contain only strings";
        return std::nullopt;
      }
      result.classes.push_back(name.get<std::string>());
    }
  }
  return result;
}

}  // namespace

std::optional<std::string> format_identity(const std::string& name_format,
                                           std::size_t index,
                                           std::string* error) {
  std::string identity;
  try {
    identity = fmt::format(fmt::runtime(name_format), fmt::arg("index", index));
  } catch (const fmt::format_error& failure) {
    *error = "invalid --name-format \"" + name_format +
             "\": " + failure.what() +
             "; use {index}, for example node-{index}.net";
    return std::nullopt;
  }
  if (!valid_subject_suffix(identity)) {
    *error = "--name-format \"" + name_format + "\" gives \"" + identity +
             "\", which is not a valid NATS subject suffix";
    return std::nullopt;
  }
  return identity;
}

node_facts generate_facts(std::size_t index, const std::string& identity) {
  static constexpr std::array<const char*, 3> countries{"mt", "de", "us"};
  auto turn = (index + 2) % 3;  // index 1 takes the first entry
  std::string role = index % 2 == 1 ? "web" : "db";

  node_facts result;
  result.facts = {{"country", countries[turn]},
                  {"role", role},
                  {"cpu_count", 2 << turn},
                  {"index", index},
                  {"fqdn", identity}};
  result.classes = {"base", "role::" + role};
  return result;
}

std::optional<facts_file> facts_file::parse(std::string_view text,
                                            std::string* error) {
  auto document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    *error = "facts file must be a JSON object keyed by identity or \"*\"";
    return std::nullopt;
  }
  facts_file result;
  for (const auto& [key, entry] : document.items()) {
    auto parsed = parse_entry(key, entry, error);
    if (!parsed) return std::nullopt;
    if (key == "*") {
      result.defaults_ = std::move(*parsed);
    } else {
      result.nodes_.emplace(key, std::move(*parsed));
    }
  }
  return result;
}

std::optional<facts_file> facts_file::load(const std::string& path,
                                           std::string* error) {
  std::ifstream input(path, std::ios::binary);
  if (!input) {
    *error = "cannot read facts file " + path;
    return std::nullopt;
  }
  std::ostringstream text;
  text << input.rdbuf();
  auto parsed = parse(text.str(), error);
  if (!parsed) *error = path + ": " + *error;
  return parsed;
}

node_facts facts_file::facts_for(const std::string& identity) const {
  node_facts result = defaults_;
  auto own = nodes_.find(identity);
  if (own == nodes_.end()) return result;

  for (const auto& [name, value] : own->second.facts.items()) {
    result.facts[name] = value;
  }
  if (!own->second.classes.empty()) result.classes = own->second.classes;
  return result;
}

}  // namespace gateway::sim

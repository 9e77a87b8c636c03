#include "gateway/choria/protocol.hpp"

#include <array>

namespace gateway::choria {

namespace {

constexpr std::array<std::string_view, 7> fact_operators = {
    ">=", "<=", "<", ">", "!=", "==", "=~"};

bool is_fact_operator(std::string_view op) {
  for (auto known : fact_operators)
    if (op == known) return true;
  return false;
}

// Reads value[key] as a list of strings into *out. A missing key leaves the
// list empty.
bool read_string_list(const nlohmann::json& value, const char* key,
                      std::vector<std::string>* out, std::string* error) {
  auto found = value.find(key);
  if (found == value.end() || found->is_null()) return true;
  if (!found->is_array()) {
    *error = std::string("filter.") + key + " must be a list of strings";
    return false;
  }
  for (std::size_t i = 0; i < found->size(); ++i) {
    const auto& item = (*found)[i];
    if (!item.is_string()) {
      *error = std::string("filter.") + key + "[" + std::to_string(i) +
               "] must be a string";
      return false;
    }
    out->push_back(item.get<std::string>());
  }
  return true;
}

// Reads one fact entry, {"fact","operator","value"}, all non-empty strings.
std::optional<fact_filter> read_fact(const nlohmann::json& item,
                                     std::size_t index, std::string* error) {
  std::string where = "filter.fact[" + std::to_string(index) + "]";
  if (!item.is_object()) {
    *error = where + " must be an object with fact, operator and value";
    return std::nullopt;
  }
  fact_filter fact;
  for (auto [key, field] :
       {std::pair{"fact", &fact.fact}, std::pair{"operator", &fact.op},
        std::pair{"value", &fact.value}}) {
    auto found = item.find(key);
    if (found == item.end() || !found->is_string() ||
        found->get_ref<const std::string&>().empty()) {
      *error = where + "." + key + " must be a non-empty string";
      return std::nullopt;
    }
    *field = found->get<std::string>();
  }
  if (!is_fact_operator(fact.op)) {
    *error = where + ".operator must be one of >= <= < > != == =~";
    return std::nullopt;
  }
  return fact;
}

}  // namespace

nlohmann::json filter_to_json(const filter& value) {
  nlohmann::json facts = nlohmann::json::array();
  for (const auto& fact : value.fact)
    facts.push_back(
        {{"fact", fact.fact}, {"operator", fact.op}, {"value", fact.value}});
  return {{"fact", std::move(facts)},
          {"cf_class", value.cf_class},
          {"agent", value.agent},
          {"identity", value.identity},
          {"compound", value.compound.is_array() ? value.compound
                                                 : nlohmann::json::array()}};
}

std::optional<filter> filter_from_json(const nlohmann::json& value,
                                       std::string* error) {
  filter result;
  if (value.is_null()) return result;
  if (!value.is_object()) {
    *error = "filter must be an object";
    return std::nullopt;
  }
  if (!read_string_list(value, "identity", &result.identity, error) ||
      !read_string_list(value, "cf_class", &result.cf_class, error) ||
      !read_string_list(value, "agent", &result.agent, error))
    return std::nullopt;

  if (auto facts = value.find("fact");
      facts != value.end() && !facts->is_null()) {
    if (!facts->is_array()) {
      *error = "filter.fact must be a list of objects";
      return std::nullopt;
    }
    for (std::size_t i = 0; i < facts->size(); ++i) {
      auto fact = read_fact((*facts)[i], i, error);
      if (!fact) return std::nullopt;
      result.fact.push_back(std::move(*fact));
    }
  }

  if (auto compound = value.find("compound");
      compound != value.end() && !compound->is_null()) {
    if (!compound->is_array()) {
      *error = "filter.compound must be a list";
      return std::nullopt;
    }
    result.compound = *compound;
  }
  return result;
}

}  // namespace gateway::choria

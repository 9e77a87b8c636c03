#include "gateway/sim/node_profile.hpp"

#include <charconv>

namespace gateway::sim {
namespace {

// Steps from value into the child named by one path segment.
const nlohmann::json* child(const nlohmann::json& value,
                            std::string_view segment) {
  if (value.is_object()) {
    auto found = value.find(std::string(segment));
    return found == value.end() ? nullptr : &*found;
  }
  if (!value.is_array()) return nullptr;

  std::size_t position = 0;
  auto end = segment.data() + segment.size();
  auto [rest, code] = std::from_chars(segment.data(), end, position);
  if (code != std::errc() || rest != end || position >= value.size()) {
    return nullptr;
  }
  return &value[position];
}

}  // namespace

const nlohmann::json* find_fact(const nlohmann::json& facts,
                                std::string_view name) {
  if (!facts.is_object() || name.empty()) return nullptr;
  auto direct = facts.find(std::string(name));
  if (direct != facts.end()) return &*direct;

  const nlohmann::json* current = &facts;
  while (current != nullptr) {
    auto dot = name.find('.');
    current = child(*current, name.substr(0, dot));
    if (dot == std::string_view::npos) return current;
    name.remove_prefix(dot + 1);
  }
  return nullptr;
}

}  // namespace gateway::sim

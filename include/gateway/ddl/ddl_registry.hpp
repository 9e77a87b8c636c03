// The agent DDLs that requests are validated against, loaded from a
// directory.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/ddl/agent_ddl.hpp"

namespace gateway::ddl {

// A set of agent DDLs keyed by agent name. Safe to read from any number of
// threads once no more DDLs are added.
class ddl_registry {
 public:
  // Loads every regular file whose name ends in ".json" in directory, but
  // not in its subdirectories. Any file that fails to read or parse fails
  // the whole load, and error names that file. Two files that declare the
  // same agent fail it too. A directory without DDLs loads as an empty
  // registry, and a missing directory is an error. Throws only
  // std::bad_alloc.
  [[nodiscard]] static std::optional<ddl_registry> load_directory(
      const std::filesystem::path& directory, std::string* error);

  // Adds one parsed DDL. Returns false, and changes nothing, when an agent
  // of that name is already present.
  [[nodiscard]] bool add(agent_ddl agent);

  // The DDL of agent, or null when none was loaded. The pointer stays
  // valid as long as this registry lives and is not moved from.
  [[nodiscard]] const agent_ddl* find(std::string_view agent) const;

  [[nodiscard]] std::size_t size() const { return agents_.size(); }

 private:
  std::map<std::string, agent_ddl, std::less<>> agents_;
};

}  // namespace gateway::ddl

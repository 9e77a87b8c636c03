#include "gateway/ddl/ddl_registry.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

namespace gateway::ddl {
namespace {

void set_error(std::string* error, std::string message) {
  if (error) *error = std::move(message);
}

// The ".json" regular files directly in directory, sorted so that errors
// name the same file on every run.
std::optional<std::vector<std::filesystem::path>> list_ddl_files(
    const std::filesystem::path& directory, std::string& error) {
  std::error_code code;
  std::filesystem::directory_iterator entries(directory, code);
  if (code) {
    error = "cannot read DDL directory " + directory.string() + ": " +
            code.message();
    return std::nullopt;
  }

  // increment(code) in place of ++, which throws on a read error.
  std::vector<std::filesystem::path> files;
  for (; entries != std::filesystem::directory_iterator();
       entries.increment(code)) {
    std::error_code type_code;
    if (entries->path().extension() == ".json" &&
        entries->is_regular_file(type_code)) {
      files.push_back(entries->path());
    }
  }
  if (code) {
    error = "cannot read DDL directory " + directory.string() + ": " +
            code.message();
    return std::nullopt;
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return std::nullopt;
  std::ostringstream text;
  text << stream.rdbuf();
  if (stream.bad()) return std::nullopt;
  return std::move(text).str();
}

}  // namespace

std::optional<ddl_registry> ddl_registry::load_directory(
    const std::filesystem::path& directory, std::string* error) {
  std::string message;
  auto files = list_ddl_files(directory, message);
  if (!files) {
    set_error(error, message);
    return std::nullopt;
  }

  ddl_registry registry;
  for (const auto& file : *files) {
    auto text = read_file(file);
    if (!text) {
      set_error(error, file.string() + ": cannot read the file");
      return std::nullopt;
    }
    auto agent = parse_agent_ddl(*text, &message);
    if (!agent) {
      set_error(error, file.string() + ": " + message);
      return std::nullopt;
    }
    std::string name = agent->name;
    if (!registry.add(std::move(*agent))) {
      set_error(error, file.string() + ": agent " + name +
                           " is already declared by another file");
      return std::nullopt;
    }
  }
  return registry;
}

bool ddl_registry::add(agent_ddl agent) {
  std::string name = agent.name;
  return agents_.try_emplace(std::move(name), std::move(agent)).second;
}

const agent_ddl* ddl_registry::find(std::string_view agent) const {
  auto found = agents_.find(agent);
  return found == agents_.end() ? nullptr : &found->second;
}

}  // namespace gateway::ddl

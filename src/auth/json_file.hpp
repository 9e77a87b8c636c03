// Reads the JSON files of this library (users, policy) without exceptions.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace gateway::auth {

// Files larger than this are rejected before parsing.
inline constexpr std::uintmax_t max_json_file_bytes = 16 * 1024 * 1024;

// Reads and parses `path`. On failure returns nullopt and sets *error to a
// message that starts with `what` and the path.
[[nodiscard]] std::optional<nlohmann::json> read_json_file(
    const std::filesystem::path& path, const std::string& what,
    std::string* error);

}  // namespace gateway::auth

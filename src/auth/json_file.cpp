#include "src/auth/json_file.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

namespace gateway::auth {

std::optional<nlohmann::json> read_json_file(const std::filesystem::path& path,
                                             const std::string& what,
                                             std::string* error) {
  const std::string prefix = what + " " + path.string() + ": ";
  std::error_code code;
  const auto size = std::filesystem::file_size(path, code);
  if (code) {
    *error = prefix + "cannot read it: " + code.message();
    return std::nullopt;
  }
  if (size > max_json_file_bytes) {
    *error = prefix + "file is larger than 16 MiB";
    return std::nullopt;
  }

  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    *error = prefix + "cannot read it";
    return std::nullopt;
  }

  auto document = nlohmann::json::parse(text.str(), nullptr, false);
  if (document.is_discarded()) {
    *error = prefix + "invalid JSON";
    return std::nullopt;
  }
  return document;
}

}  // namespace gateway::auth

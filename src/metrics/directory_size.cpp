#include "directory_size.hpp"

#include <filesystem>
#include <system_error>

namespace gateway::metrics {

std::uint64_t directory_size(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::recursive_directory_iterator walk(path, error);
  if (error) return 0;

  std::uint64_t total = 0;
  for (auto end = fs::recursive_directory_iterator(); walk != end;
       walk.increment(error)) {
    if (error) break;
    std::error_code entry_error;
    if (!walk->is_regular_file(entry_error)) continue;
    auto size = walk->file_size(entry_error);
    if (!entry_error) total += size;
  }
  return total;
}

}  // namespace gateway::metrics

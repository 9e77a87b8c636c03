// `choria-rest-gateway backup` and `export`: read the event store of a
// configuration beside a running gateway (see backup_export.hpp).
#include <iostream>

#include "gateway/server/settings.hpp"
#include "gateway/storage/backup_export.hpp"
#include "src/main/commands.hpp"

namespace gateway {
namespace {

// The data directory named by the configuration, or nullopt after
// printing why it cannot be read.
std::optional<std::string> data_dir_of(const std::string& config_path) {
  std::string error;
  auto config = settings::load(config_path, &error);
  if (!config) {
    std::cerr << "choria-rest-gateway: " << error << '\n';
    return std::nullopt;
  }
  return config->data_dir;
}

}  // namespace

int run_backup(const std::string& config_path, const std::string& to_dir) {
  auto data_dir = data_dir_of(config_path);
  if (!data_dir) return 2;
  std::string error;
  auto result = storage::backup_event_store(*data_dir, to_dir, &error);
  if (!result) {
    std::cerr << "choria-rest-gateway: backup failed: " << error << '\n';
    return 1;
  }
  std::cout << "backed up " << *data_dir << " to " << to_dir
            << " up to sequence " << result->last_sequence << '\n';
  return 0;
}

int run_export(const std::string& config_path, std::uint64_t since) {
  auto data_dir = data_dir_of(config_path);
  if (!data_dir) return 2;
  std::ios::sync_with_stdio(false);
  std::string error;
  auto count = storage::export_events(*data_dir, since, std::cout, &error);
  if (!count) {
    std::cerr << "choria-rest-gateway: export failed: " << error << '\n';
    return 1;
  }
  return 0;
}

}  // namespace gateway

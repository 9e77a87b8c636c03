// Subcommands of choria-rest-gateway. Each returns the process exit code.
#pragma once

#include <cstdint>
#include <string>

namespace gateway {

// Runs the gateway until SIGINT or SIGTERM.
int run_serve(const std::string& config_path);

struct init_options {
  std::string dir;
  std::string listen = "127.0.0.1:8080";
  std::string broker = "127.0.0.1:4222";
  std::string admin_user = "admin";
  bool force = false;  // overwrite an existing set-up
  // Serve plain HTTP instead of HTTPS with a certificate from the
  // throwaway CA.
  bool plain_http = false;
};

// Writes a complete local set-up and prints the login details.
int run_init(const init_options& options);

// Reads a password from standard input, prints its bcrypt hash.
int run_hash_password(int cost);

// Rebuilds the event log's read models and indexes from its events.
int run_reindex(const std::string& config_path);
// Writes an online RocksDB checkpoint of the configured event store to
// to_dir, which must not exist yet.
int run_backup(const std::string& config_path, const std::string& to_dir);

// Writes the events from sequence since on to standard output as JSON
// lines.
int run_export(const std::string& config_path, std::uint64_t since);

}  // namespace gateway

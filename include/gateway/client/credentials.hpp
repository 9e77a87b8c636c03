// The client's stored login: the gateway URL and the bearer token, kept in
// a JSON file only its owner can read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace gateway::client {

struct credentials {
  std::string url;              // the gateway's base URL
  std::string username;         // who logged in, for messages
  std::string token;            // empty after the token was dropped
  std::int64_t expires_at = 0;  // Unix seconds; 0 when unknown
  std::string ca_file;          // CA file for an https URL; empty: system CAs
};

// The credentials file: $XDG_CONFIG_HOME/choria-gw/credentials.json, or
// ~/.config/choria-gw/credentials.json when XDG_CONFIG_HOME is unset or
// not absolute. Empty when neither variable gives a folder.
[[nodiscard]] std::string credentials_path();

// Reads the file at path. Returns nullopt with an empty *error when the
// file does not exist, and nullopt with *error set when it cannot be read
// or is not a credentials object.
[[nodiscard]] std::optional<credentials> load_credentials(
    const std::string& path, std::string* error);

// Writes value to path with mode 0600, creating the folder with mode 0700
// when missing, through a temporary file renamed over the old one. Returns
// false and sets *error on failure.
[[nodiscard]] bool save_credentials(const std::string& path,
                                    const credentials& value,
                                    std::string* error);

}  // namespace gateway::client

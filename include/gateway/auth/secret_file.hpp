// The gateway's token signing secret, kept in a file as hexadecimal text
// (the format of `openssl rand -hex 32`).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace gateway::auth {

inline constexpr std::size_t min_secret_bytes = 32;

struct loaded_secret {
  std::string bytes;  // the raw secret, at least 32 bytes
  bool created = false;
  // Empty, or a message for the log when the file is readable or writable
  // by group or others. The secret is still returned: the caller decides
  // whether to go on.
  std::string warning;
};

// Reads the secret from `path`, or creates the file with mode 0600 holding
// 32 new random bytes as 64 hex digits when it does not exist. Surrounding
// whitespace is ignored. Returns nullopt and sets *error when the file
// cannot be read or created, is not a regular file, contains anything but hex
// digits, or decodes to fewer than 32 bytes. Never puts the secret in a
// message. The parent directory must exist.
[[nodiscard]] std::optional<loaded_secret> load_or_create_secret(
    const std::filesystem::path& path, std::string* error);

// Reads an existing secret file as above, for secrets that only verify and
// so are never created. Fails when the file does not exist.
[[nodiscard]] std::optional<loaded_secret> load_secret(
    const std::filesystem::path& path, std::string* error);

}  // namespace gateway::auth

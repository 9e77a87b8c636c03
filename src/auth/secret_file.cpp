#include "gateway/auth/secret_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "gateway/common/encoding.hpp"

namespace gateway::auth {
namespace {

// Closes a file descriptor when it goes out of scope.
struct descriptor {
  int fd;
  ~descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

std::string system_error(const std::filesystem::path& path,
                         const std::string& step) {
  return "secret file " + path.string() + ": " + step +
         " failed: " + std::strerror(errno);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = hex_value(text[i]);
    const int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// Writes a new secret to `path` unless the file exists, and returns whether
// it created the file. *error is set only when creating or writing failed.
bool create_secret(const std::filesystem::path& path, std::string* error) {
  descriptor file{
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
  if (file.fd < 0) {
    if (errno != EEXIST) *error = system_error(path, "creating it");
    return false;
  }
  const std::string text = hex_encode(random_bytes(min_secret_bytes)) + "\n";
  if (::write(file.fd, text.data(), text.size()) !=
          static_cast<ssize_t>(text.size()) ||
      ::fsync(file.fd) != 0) {
    *error = system_error(path, "writing it");
    ::unlink(path.c_str());
    return false;
  }
  return true;
}

std::string permission_warning(const std::filesystem::path& path, mode_t mode) {
  if ((mode & 077) == 0) return {};
  char octal[8];
  std::snprintf(octal, sizeof(octal), "%04o", mode & 07777);
  return "secret file " + path.string() + " has mode " + octal +
         ", so group or others may read or change it; run chmod 600 " +
         path.string();
}

std::optional<loaded_secret> read_secret(const std::filesystem::path& path,
                                         std::string* error) {
  descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  struct stat status {};
  if (file.fd < 0 || ::fstat(file.fd, &status) != 0) {
    *error = system_error(path, "opening it");
    return std::nullopt;
  }
  if (!S_ISREG(status.st_mode) || status.st_size > 4096) {
    *error = "secret file " + path.string() +
             ": must be a regular file of at most 4096 bytes";
    return std::nullopt;
  }

  std::string text(static_cast<std::size_t>(status.st_size), '\0');
  if (::read(file.fd, text.data(), text.size()) !=
      static_cast<ssize_t>(text.size())) {
    *error = system_error(path, "reading it");
    return std::nullopt;
  }
  auto bytes = hex_decode(trim(text));
  if (!bytes || bytes->size() < min_secret_bytes) {
    *error = "secret file " + path.string() +
             ": must hold at least 64 hex digits (32 bytes); make one with "
             "openssl rand -hex 32";
    return std::nullopt;
  }
  return loaded_secret{std::move(*bytes), false,
                       permission_warning(path, status.st_mode)};
}

}  // namespace

std::optional<loaded_secret> load_or_create_secret(
    const std::filesystem::path& path, std::string* error) {
  error->clear();
  const bool created = create_secret(path, error);
  if (!error->empty()) return std::nullopt;
  auto secret = read_secret(path, error);
  if (secret) secret->created = created;
  return secret;
}

std::optional<loaded_secret> load_secret(const std::filesystem::path& path,
                                         std::string* error) {
  error->clear();
  return read_secret(path, error);
}

}  // namespace gateway::auth

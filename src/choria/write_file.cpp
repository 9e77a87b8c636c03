#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "gateway/choria/pki.hpp"

namespace gateway::pki {

namespace {

std::string folder_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

bool write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t count = ::write(fd, text.data() + written, text.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    written += static_cast<std::size_t>(count);
  }
  return true;
}

// Writes text into the open temporary file, sets mode, syncs and closes it.
bool fill_temporary(int fd, const std::string& text, unsigned mode) {
  bool filled = ::fchmod(fd, static_cast<mode_t>(mode)) == 0 &&
                write_all(fd, text) && ::fsync(fd) == 0;
  int saved = errno;
  bool closed = ::close(fd) == 0;
  if (!filled) errno = saved;
  return filled && closed;
}

}  // namespace

bool write_file(const std::string& path, const std::string& text, unsigned mode,
                std::string* error) {
  // mkstemp creates the file with mode 0600, so a key never exists with
  // wider permissions, even for a moment.
  std::string temporary = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    *error = "creating a temporary file for " + path +
             " failed: " + std::strerror(errno);
    return false;
  }
  if (!fill_temporary(fd, text, mode) ||
      ::rename(temporary.c_str(), path.c_str()) != 0) {
    *error = "writing " + path + " failed: " + std::strerror(errno);
    ::unlink(temporary.c_str());
    return false;
  }

  // Sync the folder so that the rename survives a crash.
  int folder = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (folder >= 0) {
    ::fsync(folder);
    ::close(folder);
  }
  return true;
}

}  // namespace gateway::pki

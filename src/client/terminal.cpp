#include "gateway/client/terminal.hpp"

#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace gateway::client {
namespace {

// Turns echo off on fd for its lifetime and restores the old settings.
class echo_off {
 public:
  explicit echo_off(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
  }
  ~echo_off() {
    if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
  echo_off(const echo_off&) = delete;
  echo_off& operator=(const echo_off&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

}  // namespace

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

std::optional<std::string> read_password(const std::string& prompt) {
  std::string line;
  if (is_terminal(STDIN_FILENO)) {
    std::cerr << prompt << std::flush;
    echo_off quiet(STDIN_FILENO);
    if (!std::getline(std::cin, line)) return std::nullopt;
  } else if (!std::getline(std::cin, line)) {
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int terminal_width(int fd, int fallback) {
  winsize size{};
  if (!is_terminal(fd) || ::ioctl(fd, TIOCGWINSZ, &size) != 0 ||
      size.ws_col == 0)
    return fallback;
  return size.ws_col;
}

bool use_colour(int fd) {
  const char* no_colour = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return is_terminal(fd) && (no_colour == nullptr || no_colour[0] == '\0') &&
         !(term != nullptr && std::strcmp(term, "dumb") == 0);
}

}  // namespace gateway::client

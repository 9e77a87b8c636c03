#include "process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace gateway::integration {

temp_dir::temp_dir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "gateway-integration-XXXXXX")
          .string();
  if (::mkdtemp(pattern.data()) == nullptr)
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

child_process::child_process(const std::string& program,
                             const std::vector<std::string>& arguments,
                             const std::string& log_path)
    : log_path_(log_path) {
  std::vector<std::string> storage{program};
  storage.insert(storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& item : storage) argv.push_back(item.data());
  argv.push_back(nullptr);

  // Opened before fork, because the child may only call async-signal-safe
  // functions until exec.
  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_t pid = ::fork();
  if (pid == 0) {
    // The child dies with the test process even when that one crashes.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (log_fd >= 0) {
      ::dup2(log_fd, STDOUT_FILENO);
      ::dup2(log_fd, STDERR_FILENO);
    }
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  if (log_fd >= 0) ::close(log_fd);
  pid_ = pid;
}

child_process::~child_process() {
  if (pid_ <= 0 || reaped_) return;
  if (stop(SIGTERM, std::chrono::seconds(5)) == -1) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
    reaped_ = true;
  }
}

bool child_process::running() {
  if (pid_ <= 0 || reaped_) return false;
  if (::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

int child_process::stop(int signal_number, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  if (reaped_) return status_;
  ::kill(pid_, signal_number);
  return wait_exit(timeout);
}

int child_process::wait_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  bool exited = wait_until([this] { return !running(); }, timeout);
  return exited ? status_ : -1;
}

std::string tail_lines(const std::string& path, std::size_t max_lines) {
  std::string text = read_text(path);
  std::size_t start = text.size();
  std::size_t lines = 0;
  while (start > 0 && lines <= max_lines) {
    --start;
    if (text[start] == '\n') ++lines;
  }
  if (lines > max_lines) ++start;
  return text.substr(start);
}

}  // namespace gateway::integration

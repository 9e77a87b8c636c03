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

int free_loopback_port() {
  // bind() to port 0 hands out the same port again right after it is
  // closed, so two calls in a row could return one port twice. Random
  // ports from a range, each checked with bind(), avoid that, and a set
  // keeps this process from returning a port twice.
  static std::mutex mutex;
  static std::set<int> handed_out;
  static std::mt19937 generator{std::random_device{}()};
  std::uniform_int_distribution<int> range(20000, 59999);
  std::lock_guard<std::mutex> lock(mutex);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    int port = range(generator);
    if (handed_out.count(port)) continue;
    int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (socket_fd < 0) return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    bool free = ::bind(socket_fd, reinterpret_cast<sockaddr*>(&address),
                       sizeof address) == 0;
    ::close(socket_fd);
    if (free) {
      handed_out.insert(port);
      return port;
    }
  }
  return -1;
}

bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string read_text(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  std::ostringstream text;
  text << input.rdbuf();
  return text.str();
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

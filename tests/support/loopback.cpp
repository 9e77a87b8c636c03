#include "tests/support/loopback.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

namespace gateway::test_support {

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
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string read_text(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  std::ostringstream text;
  text << input.rdbuf();
  return text.str();
}

}  // namespace gateway::test_support

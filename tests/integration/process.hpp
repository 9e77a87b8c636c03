// Process helpers for the integration tests: temporary folders, child
// processes stopped by pid, free loopback ports and bounded polling.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "tests/support/loopback.hpp"

namespace gateway::integration {

// A folder under the system temporary folder, removed with its contents
// when the object is destroyed.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string file(const std::string& name) const {
    return path_ + "/" + name;
  }

 private:
  std::string path_;
};

// A child process started with fork and exec, with standard output and
// standard error appended to log_path. The kernel kills it when the test
// process dies. The destructor sends SIGTERM to its pid, waits up to five
// seconds, then sends SIGKILL.
class child_process {
 public:
  // Starts program with arguments; pid() is -1 when fork failed. When exec
  // fails the child exits with status 127.
  child_process(const std::string& program,
                const std::vector<std::string>& arguments,
                const std::string& log_path);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] const std::string& log_path() const { return log_path_; }
  // True while the process has not exited.
  [[nodiscard]] bool running();
  // Sends signal_number and waits up to timeout. Returns the wait status
  // as from waitpid, or -1 when the process did not exit in time.
  int stop(int signal_number, std::chrono::milliseconds timeout);
  // Waits up to timeout without sending a signal; same result as stop.
  int wait_exit(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string log_path_;
};

using test_support::free_loopback_port;
using test_support::read_text;
using test_support::wait_until;

// The last max_lines lines of the file at path, for failure messages.
[[nodiscard]] std::string tail_lines(const std::string& path,
                                     std::size_t max_lines);

}  // namespace gateway::integration

#include "client_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace gateway::client_test {
namespace {

using clock_type = std::chrono::steady_clock;

[[noreturn]] void exec_client(const client_call& call) {
  for (const auto& [name, value] : call.environment)
    ::setenv(name.c_str(), value.c_str(), 1);
  std::vector<char*> argv;
  std::string program = CLIENT_PATH;
  argv.push_back(program.data());
  std::vector<std::string> arguments = call.arguments;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  ::execv(program.c_str(), argv.data());
  ::_exit(127);
}

// Reads every fd in sources into its string until all reach end of file
// or deadline passes. Returns false on the deadline.
bool drain(std::vector<std::pair<int, std::string*>> sources,
           clock_type::time_point deadline) {
  while (!sources.empty()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - clock_type::now());
    if (left.count() <= 0) return false;
    std::vector<pollfd> polled;
    for (const auto& source : sources)
      polled.push_back({source.first, POLLIN, 0});
    int ready =
        ::poll(polled.data(), polled.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    for (std::size_t i = polled.size(); i-- > 0;) {
      if (polled[i].revents == 0) continue;
      char buffer[4096];
      auto count = ::read(polled[i].fd, buffer, sizeof buffer);
      if (count > 0) {
        sources[i].second->append(buffer, static_cast<std::size_t>(count));
      } else if (count == 0 || errno != EINTR) {
        // End of file, or EIO once the terminal's last writer closed.
        ::close(polled[i].fd);
        sources.erase(sources.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  return true;
}

int reap(pid_t pid, bool in_time) {
  if (!in_time) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!in_time || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace

client_run run_client(const client_call& call) {
  client_run result;
  int input[2], output[2], error[2];
  if (::pipe2(input, O_CLOEXEC) != 0 || ::pipe2(output, O_CLOEXEC) != 0 ||
      ::pipe2(error, O_CLOEXEC) != 0)
    return result;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(input[0], 0);
    ::dup2(output[1], 1);
    ::dup2(error[1], 2);
    exec_client(call);
  }
  ::close(input[0]);
  ::close(output[1]);
  ::close(error[1]);
  if (pid < 0) return result;

  ::signal(SIGPIPE, SIG_IGN);
  if (!call.input.empty())
    (void)!::write(input[1], call.input.data(), call.input.size());
  ::close(input[1]);
  bool in_time = drain({{output[0], &result.out}, {error[0], &result.err}},
                       clock_type::now() + call.timeout);
  result.exit_status = reap(pid, in_time);
  return result;
}

client_run run_client_on_terminal(const client_call& call) {
  client_run result;
  winsize size{};
  size.ws_row = 40;
  size.ws_col = 100;
  int terminal = -1;
  pid_t pid = ::forkpty(&terminal, nullptr, nullptr, &size);
  if (pid == 0) {
    ::setenv("TERM", "xterm", 1);
    ::unsetenv("NO_COLOR");
    exec_client(call);
  }
  if (pid < 0) return result;

  if (!call.input.empty())
    (void)!::write(terminal, call.input.data(), call.input.size());
  bool in_time =
      drain({{terminal, &result.out}}, clock_type::now() + call.timeout);
  result.exit_status = reap(pid, in_time);
  return result;
}

}  // namespace gateway::client_test

// Runs choria-gw as a child process, on pipes or on a pseudo-terminal, and
// collects what it writes and its exit status.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace gateway::client_test {

struct client_run {
  int exit_status = -1;  // -1 when it did not exit in time or was killed
  std::string out;       // stdout, or everything on the terminal
  std::string err;       // stderr; empty on a terminal
};

struct client_call {
  std::vector<std::string> arguments;
  std::string input;  // written to standard input, which is then closed
  std::map<std::string, std::string> environment;  // added to this one's
  std::chrono::seconds timeout{60};
};

// Runs CLIENT_PATH with stdin, stdout and stderr on pipes.
[[nodiscard]] client_run run_client(const client_call& call);

// Runs CLIENT_PATH on a new pseudo-terminal of 100 columns, so that
// every standard stream of the client is a terminal. Input is typed on the
// terminal.
[[nodiscard]] client_run run_client_on_terminal(const client_call& call);

}  // namespace gateway::client_test

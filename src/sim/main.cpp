// choria-fleet-sim: runs simulated Choria nodes on a NATS server until
// SIGINT or SIGTERM. SIGUSR1 writes the stats file.
#include <csignal>
#include <cstdio>

#include "command_line.hpp"
#include "gateway/common/logging.hpp"
#include "gateway/sim/fleet.hpp"

namespace {

using gateway::sim::fleet;

// Blocks the signals the program waits for in every thread it starts later,
// so that only sigwait in main receives them.
sigset_t block_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return signals;
}

void write_stats(const fleet& simulation) {
  std::string error;
  if (!simulation.write_stats(&error)) {
    gateway::logger("sim")->error("cannot write stats: {}", error);
  }
}

// Serves until SIGINT or SIGTERM arrives.
void wait_for_stop(const fleet& simulation, const sigset_t& signals) {
  while (true) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) continue;
    if (received == SIGUSR1) {
      write_stats(simulation);
      continue;
    }
    gateway::logger("sim")->info("stopping on signal {}", received);
    return;
  }
}

int run(const gateway::sim::command_line& parsed, const sigset_t& signals) {
  auto log = gateway::logger("sim");
  std::string error;
  auto simulation = fleet::create(parsed.fleet, &error);
  if (!simulation) {
    log->error("cannot start: {}", error);
    return 1;
  }
  if (!simulation->start(&error)) {
    log->error("cannot start: {}", error);
    simulation->stop();
    return 1;
  }

  wait_for_stop(*simulation, signals);
  simulation->stop();
  write_stats(*simulation);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  gateway::sim::command_line parsed;
  if (auto exit_code = gateway::sim::parse_command_line(argc, argv, &parsed)) {
    return *exit_code;
  }
  if (!gateway::set_log_level(parsed.log_level)) return 2;

  auto signals = block_signals();
  // NOTE: nats_Close and nats_CloseAndWait are not called, because in
  // nats.c 3.4 they free OpenSSL's compression-method stack, which OpenSSL 3
  // frees again at exit, so a process that made a TLS connection crashes.
  return run(parsed, signals);
}

#include "command_line.hpp"

#include <cstdio>

#include <CLI/CLI.hpp>

#include "gateway/common/logging.hpp"

namespace gateway::sim {
namespace {

void add_fleet_options(CLI::App& app, fleet_options& fleet) {
  app.add_option("--nats", fleet.servers,
                 "NATS server URL; repeat or separate with commas "
                 "(default nats://127.0.0.1:4222)")
      ->delimiter(',');
  app.add_option("--count", fleet.count, "Number of simulated nodes")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  app.add_option("--name-format", fleet.name_format,
                 "Node identity; {index} is the 1-based node number, and "
                 "{index:04} pads it with zeros to 4 digits")
      ->capture_default_str();
  app.add_option("--collective", fleet.collectives,
                 "Collective to serve; repeat for more. The first is the "
                 "main collective")
      ->capture_default_str();
  app.add_option("--ca", fleet.ca_path,
                 "CA bundle (PEM) that request certificates must chain to")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--privileged", fleet.privileged,
                 "Privileged certificate name or /regex/; repeatable "
                 "(default \\.privileged.mcollective$ and "
                 "\\.privileged.choria$)");
  app.add_option("--allowed", fleet.allowed,
                 "Allow-list pattern for ordinary certificates; repeatable "
                 "(default \\.mcollective$ and \\.choria$)");
  app.add_option("--facts", fleet.facts_path,
                 "JSON facts file: {\"<identity>\" or \"*\": {\"facts\": "
                 "{...}, \"classes\": [...]}}; generated facts when absent")
      ->check(CLI::ExistingFile);
  app.add_option("--silent", fleet.silent,
                 "Nodes that drop every request: a comma-separated list of "
                 "identities or one /regex/; repeatable");
}

void add_agent_options(CLI::App& app, command_line& parsed) {
  auto& agents = parsed.fleet.agents;
  app.add_option("--test-agent", agents.test_agent, "Name of the test agent")
      ->capture_default_str();
  app.add_option("--test-delay-ms", parsed.test_delay_ms,
                 "Milliseconds the test agent waits before it replies")
      ->check(CLI::Range(0, 3'600'000));
  app.add_option("--test-failure-rate", agents.test_failure_rate,
                 "Fraction of test agent replies, 0 to 1, that fail with "
                 "statuscode 1")
      ->check(CLI::Range(0.0, 1.0));
}

void add_runtime_options(CLI::App& app, command_line& parsed) {
  auto& fleet = parsed.fleet;
  app.add_option("--tls-cert", fleet.tls_cert,
                 "Client certificate (PEM) for NATS TLS")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", fleet.tls_key, "Private key (PEM) of --tls-cert")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-ca", fleet.tls_ca,
                 "CA bundle (PEM) that verifies the NATS server")
      ->check(CLI::ExistingFile);
  app.add_option("--stats-file", fleet.stats_path,
                 "Write the JSON counters here on exit and on SIGUSR1");
  app.add_option("--ready-file", fleet.ready_path,
                 "Write this file once NATS has confirmed every "
                 "subscription");
  app.add_option("--workers", fleet.workers,
                 "Threads that check requests and publish replies")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--log-level", parsed.log_level,
                 "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
}

}  // namespace

std::optional<int> parse_command_line(int argc, char** argv,
                                      command_line* parsed) {
  CLI::App app{
      "Runs simulated Choria nodes on a NATS server. Each node verifies "
      "requests as go-choria does and replies for the rpcutil, discovery "
      "and test agents."};
  add_fleet_options(app, parsed->fleet);
  add_agent_options(app, *parsed);
  add_runtime_options(app, *parsed);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& failure) {
    return app.exit(failure);
  }
  if (parsed->fleet.tls_cert.empty() != parsed->fleet.tls_key.empty()) {
    std::fprintf(stderr, "--tls-cert and --tls-key must be given together\n");
    return 2;
  }
  parsed->fleet.agents.test_delay =
      std::chrono::milliseconds(parsed->test_delay_ms);
  parsed->fleet.agents.version = GATEWAY_VERSION;
  return std::nullopt;
}

}  // namespace gateway::sim

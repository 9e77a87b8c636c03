// A whole gateway set-up for the integration tests, all on loopback in a
// fresh temporary folder: `choria-rest-gateway init`, a nats-server with
// mutual TLS, choria-fleet-sim and `choria-rest-gateway serve`, each a child
// process stopped by pid when the stack is destroyed.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "process.hpp"

namespace gateway::integration {

// A user added to the users.json that init writes. Its password is hashed
// with bcrypt cost 4 to keep logins fast.
struct extra_user {
  std::string username;
  std::string password;
  std::vector<std::string> acls;
  std::vector<std::string> roles;
};

struct stack_options {
  int fleet_size = 20;
  std::vector<std::string> silent_nodes;  // passed as --silent
  // More choria-fleet-sim arguments, such as --test-failure-rate 1.
  std::vector<std::string> simulator_arguments;
  std::vector<extra_user> users;
  std::vector<std::string> extra_config;  // lines appended to gateway.conf
  // Roles added to (or replacing roles of) the policy.json that init
  // writes, such as {"auditor": {"allow": [], "read": ["audit"]}}.
  nlohmann::json extra_roles = nlohmann::json::object();
  // Replaces the GET /readyz check of start() for a gateway that the plain
  // HTTP of http() cannot reach, such as one serving HTTPS. Polled until it
  // returns true.
  std::function<bool()> ready_probe;
};

class gateway_stack {
 public:
  explicit gateway_stack(stack_options options);
  gateway_stack(const gateway_stack&) = delete;
  gateway_stack& operator=(const gateway_stack&) = delete;

  // Writes the set-up, starts the three processes and waits until the
  // simulator wrote its ready file and /readyz returns 200. On failure
  // returns false and sets *error, with the tails of the logs.
  [[nodiscard]] bool start(std::string* error);

  // Starts nats-server on the broker port and waits until it accepts TCP
  // connections.
  [[nodiscard]] bool start_broker(std::string* error);
  // Kills nats-server with SIGKILL and waits for it to exit.
  [[nodiscard]] bool kill_broker();

  // Starts `serve` on the set-up's configuration.
  [[nodiscard]] bool start_gateway(std::string* error);
  // Sends signal_number to the gateway and waits up to ten seconds for it
  // to exit. Returns the wait status, or -1 when it did not exit.
  int stop_gateway(int signal_number);

  // Sends signal_number to the running gateway without waiting for it.
  // Returns false when no gateway was started.
  [[nodiscard]] bool signal_gateway(int signal_number) const;
  // Everything the gateway wrote to standard output and standard error so
  // far, across restarts.
  [[nodiscard]] std::string gateway_log() const;

  // Polls /readyz until it returns expected_status or timeout passes.
  [[nodiscard]] bool await_readyz(unsigned expected_status,
                                  std::chrono::milliseconds timeout);

  [[nodiscard]] http_result http(http_call call) const;
  // Logs in and returns the token, or an empty string after a test failure.
  [[nodiscard]] std::string login(const std::string& username,
                                  const std::string& password) const;
  [[nodiscard]] std::string login_admin() const;
  [[nodiscard]] http_result submit(const std::string& token,
                                   const nlohmann::json& body) const;
  // Submits body, expects 202 and returns the request id (empty after a
  // test failure).
  [[nodiscard]] std::string submit_accepted(const std::string& token,
                                            const nlohmann::json& body) const;
  [[nodiscard]] http_result status(const std::string& token,
                                   const std::string& request_id) const;
  // Polls the status until its state is complete, expired or failed.
  // Returns the last status record, or null after a test failure.
  [[nodiscard]] nlohmann::json await_finished(
      const std::string& token, const std::string& request_id,
      std::chrono::milliseconds timeout) const;
  // Reads every reply page of limit replies and returns the page bodies in
  // order. A status other than 200 fails the test and ends the reading.
  [[nodiscard]] std::vector<nlohmann::json> read_reply_pages(
      const std::string& token, const std::string& request_id, int limit) const;

  [[nodiscard]] const std::string& admin_password() const {
    return admin_password_;
  }
  [[nodiscard]] unsigned short http_port() const { return http_port_; }
  [[nodiscard]] std::string setup_file(const std::string& name) const {
    return folder_.file("setup/" + name);
  }
  // The tails of the gateway, simulator and broker logs.
  [[nodiscard]] std::string log_tails() const;

  // The node name the simulator gives index (1-based).
  [[nodiscard]] static std::string node_name(int index);

 private:
  [[nodiscard]] bool write_setup(std::string* error);
  [[nodiscard]] bool add_users(std::string* error);
  [[nodiscard]] bool start_simulator(std::string* error);

  stack_options options_;
  temp_dir folder_;
  unsigned short broker_port_ = 0;
  unsigned short http_port_ = 0;
  std::string admin_password_;
  // Declared in start order, so they are stopped in the reverse order.
  std::unique_ptr<child_process> broker_;
  std::unique_ptr<child_process> simulator_;
  std::unique_ptr<child_process> gateway_;
};

}  // namespace gateway::integration

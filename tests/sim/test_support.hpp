// Helpers for the fleet simulator tests: temporary folders, certificates,
// child processes stopped by id, and waiting for a condition.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gateway/choria/pki.hpp"
#include "gateway/choria/protocol.hpp"

#include "tests/support/loopback.hpp"

namespace gateway::sim::testing {

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

// A CA and certificates written as PEM files into a folder:
//   ca.pem, privileged.pem/-key.pem ("gateway.privileged.choria"),
//   ordinary.pem/-key.pem ("x.mcollective").
struct test_pki {
  std::string ca_path;
  std::string privileged_cert;
  std::string privileged_key;
  std::string ordinary_cert;
  std::string ordinary_key;
};
// Creates the files in folder; fails the current test on error.
[[nodiscard]] test_pki make_test_pki(const std::string& folder);

// What a test request carries; every field has a working default.
struct request_spec {
  std::string agent = "rpcutil";
  std::string action = "ping";
  nlohmann::json data = nlohmann::json::object();
  std::string caller_id = "choria=alice";
  std::string collective = "mcollective";
  std::string reply_to = "mcollective.reply.test";
  std::int64_t time = 0;  // 0: now
  std::int64_t ttl = 60;
  choria::filter target;
  std::string rpc_body;    // when set, sent instead of the agent/action body
  std::string request_id;  // when empty, a new random id
};

// Encodes spec as a signed NATS payload, with its request id in
// *request_id.
[[nodiscard]] std::string encode_signed_request(
    const choria::signing_identity& signer, const request_spec& spec,
    std::string* request_id);

// Loads a certificate and key; fails the current test on error.
[[nodiscard]] std::optional<choria::signing_identity> load_signer(
    const std::string& cert_path, const std::string& key_path);

// A child process started with fork and exec, killed by the kernel when the
// test process dies. The destructor sends SIGTERM
// to its pid, waits up to five seconds, then sends SIGKILL.
class child_process {
 public:
  // Starts program with arguments; pid() is -1 when spawning failed.
  child_process(const std::string& program,
                const std::vector<std::string>& arguments);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  // True while the process has not exited.
  [[nodiscard]] bool running();
  // Sends SIGTERM and waits up to timeout; returns the exit status as from
  // waitpid, or -1 when the process did not exit in time.
  int terminate(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

using test_support::free_loopback_port;
using test_support::read_text;
using test_support::wait_until;

}  // namespace gateway::sim::testing

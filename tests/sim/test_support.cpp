#include "test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "gateway/common/encoding.hpp"

namespace gateway::sim::testing {

temp_dir::temp_dir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "fleet-sim-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
  }
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

namespace {

void write_pair(const pki::key_pair& pair, const std::string& cert_path,
                const std::string& key_path) {
  std::string error;
  EXPECT_TRUE(pki::write_file(cert_path, pair.certificate_pem, 0644, &error))
      << error;
  EXPECT_TRUE(pki::write_file(key_path, pair.private_key_pem, 0600, &error))
      << error;
}

}  // namespace

test_pki make_test_pki(const std::string& folder) {
  test_pki files{folder + "/ca.pem", folder + "/privileged.pem",
                 folder + "/privileged-key.pem", folder + "/ordinary.pem",
                 folder + "/ordinary-key.pem"};
  std::string error;
  auto ca = pki::make_ca("Fleet Sim Test CA", 30, &error);
  if (!ca) {
    ADD_FAILURE() << "make_ca: " << error;
    return files;
  }
  EXPECT_TRUE(pki::write_file(files.ca_path, ca->certificate_pem, 0644, &error))
      << error;

  pki::certificate_request privileged;
  privileged.common_name = "gateway.privileged.choria";
  auto privileged_pair = pki::issue(*ca, privileged, &error);
  EXPECT_TRUE(privileged_pair.has_value()) << error;
  if (privileged_pair) {
    write_pair(*privileged_pair, files.privileged_cert, files.privileged_key);
  }

  pki::certificate_request ordinary;
  ordinary.common_name = "x.mcollective";
  auto ordinary_pair = pki::issue(*ca, ordinary, &error);
  EXPECT_TRUE(ordinary_pair.has_value()) << error;
  if (ordinary_pair) {
    write_pair(*ordinary_pair, files.ordinary_cert, files.ordinary_key);
  }
  return files;
}

std::string encode_signed_request(const choria::signing_identity& signer,
                                  const request_spec& spec,
                                  std::string* request_id) {
  choria::envelope env;
  env.request_id =
      spec.request_id.empty() ? make_request_id() : spec.request_id;
  env.sender_id = "sim-test-client";
  env.caller_id = spec.caller_id;
  env.collective = spec.collective;
  env.agent = spec.agent;
  env.ttl = spec.ttl;
  env.time = spec.time != 0 ? spec.time
                            : static_cast<std::int64_t>(std::time(nullptr));
  env.target = spec.target;
  *request_id = env.request_id;

  std::string body = spec.rpc_body.empty()
                         ? choria::encode_rpc_body(spec.agent, spec.action,
                                                   spec.caller_id, spec.data)
                         : spec.rpc_body;
  auto request = choria::encode_request(env, body);
  auto secure = choria::encode_secure_request(request, signer);
  return choria::encode_transport(secure, {spec.reply_to, "sim-test-client"});
}

std::optional<choria::signing_identity> load_signer(
    const std::string& cert_path, const std::string& key_path) {
  std::string error;
  auto signer = choria::signing_identity::load(cert_path, key_path, &error);
  EXPECT_TRUE(signer.has_value()) << error;
  return signer;
}

child_process::child_process(const std::string& program,
                             const std::vector<std::string>& arguments) {
  std::vector<std::string> storage{program};
  storage.insert(storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& item : storage) argv.push_back(item.data());
  argv.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid == 0) {
    // The child dies with the test process even when that one crashes.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
}

child_process::~child_process() {
  if (pid_ <= 0 || reaped_) return;
  if (terminate(std::chrono::seconds(5)) == -1) {
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

int child_process::terminate(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  if (reaped_) return status_;
  ::kill(pid_, SIGTERM);
  bool exited = wait_until([this] { return !running(); }, timeout);
  return exited ? status_ : -1;
}

}  // namespace gateway::sim::testing

// choria-gw against a gateway that serves HTTPS with a certificate from
// the test's own CA. Login takes --ca, and req and history then use the
// stored CA. A certificate that the given CA or the system's CAs did not
// sign is rejected with an error that names --ca.
#include <filesystem>

#include <gtest/gtest.h>

#include "client_process.hpp"
#include "gateway/choria/pki.hpp"
#include "gateway/client/http_client.hpp"
#include "gateway_stack.hpp"

namespace gateway::client_test {
namespace {

using json = nlohmann::json;
using integration::gateway_stack;
using integration::temp_dir;

// Writes ca.pem, server.pem and server-key.pem for 127.0.0.1 into folder.
bool write_certificates(const std::string& folder, const std::string& ca_name,
                        std::string* error) {
  auto ca = pki::make_ca(ca_name, 1, error);
  if (!ca) return false;
  pki::certificate_request request;
  request.common_name = "127.0.0.1";
  request.ip_addresses = {"127.0.0.1"};
  request.client_auth = false;
  request.server_auth = true;
  auto leaf = pki::issue(*ca, request, error);
  return leaf &&
         pki::write_file(folder + "/ca.pem", ca->certificate_pem, 0644,
                         error) &&
         pki::write_file(folder + "/server.pem", leaf->certificate_pem, 0644,
                         error) &&
         pki::write_file(folder + "/server-key.pem", leaf->private_key_pem,
                         0600, error);
}

// Whether GET /readyz over HTTPS, verified with ca_file, returns 200.
bool ready_over_https(unsigned short port, const std::string& ca_file) {
  std::string error;
  auto url = client::parse_base_url("https://127.0.0.1:" + std::to_string(port),
                                    &error);
  if (!url) return false;
  client::connection_options options;
  options.ca_file = ca_file;
  options.timeout = std::chrono::seconds(2);
  client::http_request request;
  request.target = "/readyz";
  return client::http_client(*url, options).send(request).status == 200;
}

class ClientHttps : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certificates_ = new temp_dir();
    std::string folder = certificates_->path();
    std::filesystem::create_directory(folder + "/foreign");
    if (!write_certificates(folder, "gateway test CA", &start_error_) ||
        !write_certificates(folder + "/foreign", "foreign test CA",
                            &start_error_))
      return;

    integration::stack_options options;
    options.fleet_size = 3;
    options.extra_config = {
        "gateway.tls.certificate = " + folder + "/server.pem",
        "gateway.tls.key = " + folder + "/server-key.pem"};
    options.ready_probe = [ca = folder + "/ca.pem"] {
      return ready_over_https(stack_->http_port(), ca);
    };
    stack_ = new gateway_stack(options);
    started_ = stack_->start(&start_error_);
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
    delete certificates_;
    certificates_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(started_) << start_error_; }

  static std::string url(const std::string& host = "127.0.0.1") {
    return "https://" + host + ":" + std::to_string(stack_->http_port());
  }
  static std::string ca_file() { return certificates_->file("ca.pem"); }
  static std::string foreign_ca_file() {
    return certificates_->file("foreign/ca.pem");
  }

  client_call call(std::vector<std::string> arguments) const {
    client_call out;
    out.arguments = std::move(arguments);
    out.environment = {{"XDG_CONFIG_HOME", config_.path()},
                       {"NO_COLOR", "1"},
                       {"CHORIA_GW_URL", ""},
                       {"CHORIA_GW_TOKEN", ""}};
    return out;
  }
  client_run run(std::vector<std::string> arguments) const {
    return run_client(call(std::move(arguments)));
  }
  client_run login(std::vector<std::string> arguments) const {
    arguments.insert(arguments.begin(), "login");
    auto login_call = call(arguments);
    login_call.input = stack_->admin_password() + "\n";
    return run_client(login_call);
  }

  static temp_dir* certificates_;
  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  temp_dir config_;
};

temp_dir* ClientHttps::certificates_ = nullptr;
gateway_stack* ClientHttps::stack_ = nullptr;
bool ClientHttps::started_ = false;
std::string ClientHttps::start_error_;

TEST_F(ClientHttps, LoginRequestAndHistory) {
  auto logged_in = login({"--url", url(), "--ca", ca_file(), "-u", "admin"});
  ASSERT_EQ(logged_in.exit_status, 0) << logged_in.out << logged_in.err;
  json stored = json::parse(
      integration::read_text(config_.file("choria-gw/credentials.json")),
      nullptr, false);
  ASSERT_TRUE(stored.is_object());
  EXPECT_EQ(stored["url"], url());
  EXPECT_EQ(stored["ca_file"], ca_file());

  // Later commands verify the gateway with the CA stored at login.
  auto request = run({"req", "rpcutil", "ping", "--json"});
  ASSERT_EQ(request.exit_status, 0) << request.out << request.err;
  json document = json::parse(request.out, nullptr, false);
  ASSERT_TRUE(document.is_object()) << request.out;
  EXPECT_EQ(document["request"]["state"], "complete") << request.out;
  EXPECT_EQ(document["request"]["ok"], 3) << request.out;
  EXPECT_EQ(document["replies"].size(), 3u) << request.out;
  std::string id = document["request"]["request_id"].get<std::string>();

  auto history = run({"history", "--json", "-n", "5"});
  ASSERT_EQ(history.exit_status, 0) << history.out << history.err;
  json listed = json::parse(history.out, nullptr, false);
  ASSERT_TRUE(listed.is_object()) << history.out;
  ASSERT_FALSE(listed["requests"].empty()) << history.out;
  EXPECT_EQ(listed["requests"][0]["request_id"], id);

  auto text = run({"history"});
  EXPECT_EQ(text.exit_status, 0) << text.err;
  EXPECT_NE(text.out.find(id), std::string::npos) << text.out;
}

TEST_F(ClientHttps, ForeignCaIsRejectedNamingCaOption) {
  auto result =
      login({"--url", url(), "--ca", foreign_ca_file(), "-u", "admin"});
  EXPECT_EQ(result.exit_status, 2) << result.out;
  EXPECT_NE(result.err.find("--ca FILE"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("the CA file " + foreign_ca_file()),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("cannot verify"), std::string::npos) << result.err;
  EXPECT_FALSE(
      std::filesystem::exists(config_.file("choria-gw/credentials.json")));

  auto json_result = login(
      {"--url", url(), "--ca", foreign_ca_file(), "-u", "admin", "--json"});
  EXPECT_EQ(json_result.exit_status, 2);
  json error = json::parse(json_result.out, nullptr, false);
  ASSERT_TRUE(error.is_object()) << json_result.out;
  EXPECT_EQ(error["error"]["code"], "tls_certificate") << json_result.out;
}

TEST_F(ClientHttps, SystemCasRejectTestCertificate) {
  auto result = login({"--url", url(), "-u", "admin"});
  EXPECT_EQ(result.exit_status, 2) << result.out;
  EXPECT_NE(result.err.find("the system's trusted CAs"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("--ca FILE"), std::string::npos) << result.err;
}

TEST_F(ClientHttps, HostNameMismatchIsRejected) {
  // localhost reaches the gateway, but its certificate names 127.0.0.1.
  auto result =
      login({"--url", url("localhost"), "--ca", ca_file(), "-u", "admin"});
  EXPECT_EQ(result.exit_status, 2) << result.out;
  EXPECT_NE(result.err.find("does not name localhost"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace gateway::client_test

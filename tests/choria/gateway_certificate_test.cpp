// check_gateway_certificate names each problem with the gateway's own
// certificate and what to do about it.
#include <gtest/gtest.h>

#include "gateway/choria/pki.hpp"
#include "gateway/choria/security.hpp"

#include "fixtures.hpp"

namespace gateway::choria {
namespace {

class GatewayCertificate : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    auto ca = pki::make_ca("Gateway Test CA", 30, &error);
    ASSERT_TRUE(ca.has_value()) << error;
    ca_ = *ca;
    ca_path_ = dir_.write("ca.pem", ca_.certificate_pem);
  }

  // Issues request from ca and returns the check's message.
  std::string check(pki::certificate_request request,
                    const pki::key_pair* ca = nullptr) {
    std::string error;
    auto pair = pki::issue(ca ? *ca : ca_, request, &error);
    if (!pair) throw std::runtime_error(error);
    std::string cert_path = dir_.write("gateway.pem", pair->certificate_pem);
    return check_gateway_certificate(cert_path, ca_path_,
                                     default_privileged_patterns());
  }

  testing::temp_dir dir_;
  pki::key_pair ca_;
  std::string ca_path_;
};

TEST_F(GatewayCertificate, PrivilegedCertificatePasses) {
  EXPECT_EQ(check({.common_name = "gw.privileged.choria"}), "");
}

TEST_F(GatewayCertificate, GoChoriaPrivilegedCertificatePasses) {
  // The go-choria fixtures are valid until May 2028.
  EXPECT_EQ(check_gateway_certificate(
                testing::go_choria_file("certs/1.privileged.mcollective.pem"),
                testing::go_choria_file("certs/ca.pem"),
                default_privileged_patterns()),
            "");
}

TEST_F(GatewayCertificate, OrdinaryNameIsReported) {
  std::string message = check({.common_name = "gw.example.net"});
  EXPECT_NE(message.find("gw.example.net"), std::string::npos) << message;
  EXPECT_NE(message.find("match no privileged pattern"), std::string::npos)
      << message;
  EXPECT_NE(message.find("privileged_users"), std::string::npos) << message;
}

TEST_F(GatewayCertificate, ExpiredCertificateIsReported) {
  std::string message = check({.common_name = "gw.privileged.choria",
                               .valid_days = 5,
                               .not_before_days_ago = 10});
  EXPECT_NE(message.find("has expired"), std::string::npos) << message;
  EXPECT_NE(message.find("issue a new certificate"), std::string::npos)
      << message;
}

TEST_F(GatewayCertificate, OtherCaIsReported) {
  std::string error;
  auto other = pki::make_ca("Other CA", 30, &error);
  ASSERT_TRUE(other.has_value()) << error;
  std::string message = check({.common_name = "gw.privileged.choria"}, &*other);
  EXPECT_NE(message.find("does not verify against the CA"), std::string::npos)
      << message;
  EXPECT_NE(message.find(ca_path_), std::string::npos) << message;
}

TEST_F(GatewayCertificate, MissingClientAuthIsReported) {
  std::string message = check({.common_name = "gw.privileged.choria",
                               .client_auth = false,
                               .server_auth = true});
  EXPECT_NE(message.find("lacks the clientAuth"), std::string::npos) << message;
}

TEST_F(GatewayCertificate, EveryProblemIsListed) {
  std::string message = check({.common_name = "gw.example.net",
                               .client_auth = false,
                               .server_auth = true});
  EXPECT_NE(message.find("clientAuth"), std::string::npos) << message;
  EXPECT_NE(message.find("privileged pattern"), std::string::npos) << message;
}

TEST_F(GatewayCertificate, MissingFilesAreReported) {
  std::string missing = dir_.path() + "/missing.pem";
  std::string message = check_gateway_certificate(
      missing, ca_path_, default_privileged_patterns());
  EXPECT_NE(message.find(missing), std::string::npos) << message;

  std::string cert_path = dir_.write("gw.pem", ca_.certificate_pem);
  message = check_gateway_certificate(cert_path, missing,
                                      default_privileged_patterns());
  EXPECT_NE(message.find(missing), std::string::npos) << message;
}

}  // namespace
}  // namespace gateway::choria

// node_verifier with the go-choria test certificates and with certificates
// from a second CA made by pki.
#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <thread>

#include "gateway/choria/pki.hpp"
#include "gateway/choria/security.hpp"

#include "fixtures.hpp"

namespace gateway::choria {
namespace {

using testing::decoded_request;
using testing::go_choria_identity;
using testing::request_spec;

node_verifier make_verifier(const std::string& ca_path) {
  std::string error;
  auto verifier = node_verifier::create(ca_path, default_privileged_patterns(),
                                        default_allowed_patterns(), &error);
  if (!verifier) throw std::runtime_error(error);
  return std::move(*verifier);
}

class NodeVerifier : public ::testing::Test {
 protected:
  node_verifier verifier_ =
      make_verifier(testing::go_choria_file("certs/ca.pem"));
  std::int64_t now_ = testing::unix_now();

  rejection verify(const signing_identity& identity, request_spec spec) {
    if (spec.time == 0) spec.time = now_;
    return verifier_.verify(decoded_request(identity, spec), now_);
  }
};

TEST_F(NodeVerifier, PrivilegedSignsForAnyCaller) {
  auto privileged = go_choria_identity("1.privileged.mcollective");
  EXPECT_EQ(verify(privileged, {.caller_id = "choria=bob"}), rejection::none);
  EXPECT_EQ(verify(privileged, {.caller_id = "choria=alice.example"}),
            rejection::none);
}

TEST_F(NodeVerifier, OrdinaryCertForOtherCallerIsMismatch) {
  auto ordinary = go_choria_identity("1.mcollective");
  EXPECT_EQ(verify(ordinary, {.caller_id = "choria=bob"}),
            rejection::callerid_mismatch);
}

TEST_F(NodeVerifier, OrdinaryCertForItselfIsAccepted) {
  auto ordinary = go_choria_identity("1.mcollective");
  EXPECT_EQ(verify(ordinary, {.caller_id = "choria=1.mcollective"}),
            rejection::none);
}

TEST_F(NodeVerifier, Pkcs8KeySignsAcceptedRequest) {
  std::string error;
  auto identity = signing_identity::load(
      testing::go_choria_file("certs/rip.mcollective.pem"),
      testing::go_choria_file("private_keys/rip.mcollective.p8"), &error);
  ASSERT_TRUE(identity.has_value()) << error;
  EXPECT_EQ(verify(*identity, {.caller_id = "choria=rip.mcollective"}),
            rejection::none);
}

TEST_F(NodeVerifier, CalleridWithoutCertnameIsMismatch) {
  auto privileged = go_choria_identity("1.privileged.mcollective");
  EXPECT_EQ(verify(privileged, {.caller_id = "bob"}),
            rejection::callerid_mismatch);
}

TEST_F(NodeVerifier, StaleTimeIsExpired) {
  auto privileged = go_choria_identity("1.privileged.mcollective");
  EXPECT_EQ(verify(privileged, {.time = now_ - 61, .ttl = 60}),
            rejection::expired);
  EXPECT_EQ(verify(privileged, {.time = now_ - 3600}), rejection::expired);
}

TEST_F(NodeVerifier, TtlWindowIsExclusive) {
  auto privileged = go_choria_identity("1.privileged.mcollective");
  EXPECT_EQ(verify(privileged, {.time = now_ - 60, .ttl = 60}),
            rejection::expired);
  EXPECT_EQ(verify(privileged, {.time = now_ - 59, .ttl = 60}),
            rejection::none);
  EXPECT_EQ(verify(privileged, {.time = now_ + 59, .ttl = 60}),
            rejection::none);
  EXPECT_EQ(verify(privileged, {.time = now_ + 60, .ttl = 60}),
            rejection::expired);
}

TEST_F(NodeVerifier, ExtremeTtlDoesNotOverflow) {
  auto privileged = go_choria_identity("1.privileged.mcollective");
  auto request = decoded_request(privileged, {.time = now_});
  request.env.ttl = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(verifier_.verify(request, now_), rejection::none);
  request.env.ttl = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(verifier_.verify(request, now_), rejection::expired);
}

TEST_F(NodeVerifier, ChangedMessageByteIsBadSignature) {
  auto privileged = go_choria_identity("1.privileged.mcollective");
  auto request = decoded_request(privileged, {.time = now_});
  ASSERT_EQ(verifier_.verify(request, now_), rejection::none);
  auto position = request.secure_message.find("rpcutil");
  ASSERT_NE(position, std::string::npos);
  request.secure_message[position] = 'R';
  EXPECT_EQ(verifier_.verify(request, now_), rejection::bad_signature);
}

TEST_F(NodeVerifier, SignatureNotBase64IsBadSignature) {
  auto privileged = go_choria_identity("1.privileged.mcollective");
  auto request = decoded_request(privileged, {.time = now_});
  request.signature = "not base64!";
  EXPECT_EQ(verifier_.verify(request, now_), rejection::bad_signature);
}

TEST_F(NodeVerifier, SignatureOfOtherKeyIsBadSignature) {
  auto privileged = go_choria_identity("1.privileged.mcollective");
  auto other = go_choria_identity("1.mcollective");
  auto request = decoded_request(privileged, {.time = now_});
  request.signature = other.sign(request.secure_message);
  EXPECT_EQ(verifier_.verify(request, now_), rejection::bad_signature);
}

TEST_F(NodeVerifier, MissingReplyToIsRejected) {
  auto privileged = go_choria_identity("1.privileged.mcollective");
  EXPECT_EQ(verify(privileged, {.reply_to = ""}), rejection::no_reply_to);
}

TEST_F(NodeVerifier, GarbageCertificateIsUntrusted) {
  auto privileged = go_choria_identity("1.privileged.mcollective");
  auto request = decoded_request(privileged, {.time = now_});
  request.pubcert = "-----BEGIN CERTIFICATE-----\nAAAA\n";
  EXPECT_EQ(verifier_.verify(request, now_), rejection::untrusted_cert);
}

TEST_F(NodeVerifier, CertificateOutsideValidityIsUntrusted) {
  // The go-choria fixtures are valid from May 2023 to May 2028.
  auto privileged = go_choria_identity("1.privileged.mcollective");
  std::int64_t year_2040 = 2208988800;
  auto request = decoded_request(privileged, {.time = year_2040});
  EXPECT_EQ(verifier_.verify(request, year_2040), rejection::untrusted_cert);
  // The cached chain result is not reused outside its window.
  auto current = decoded_request(privileged, {.time = now_});
  EXPECT_EQ(verifier_.verify(current, now_), rejection::none);
  EXPECT_EQ(verifier_.verify(request, year_2040), rejection::untrusted_cert);
}

TEST_F(NodeVerifier, ManyThreadsVerifyAtOnce) {
  auto privileged = go_choria_identity("1.privileged.mcollective");
  auto ordinary = go_choria_identity("1.mcollective");
  auto accepted = decoded_request(privileged, {.time = now_});
  auto mismatched = decoded_request(ordinary, {.time = now_});
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (verifier_.verify(accepted, now_) != rejection::none) ++wrong;
        if (verifier_.verify(mismatched, now_) != rejection::callerid_mismatch)
          ++wrong;
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(NodeVerifierCreate, ReportsMissingCa) {
  std::string error;
  auto verifier = node_verifier::create("/nonexistent/ca.pem", {}, {}, &error);
  EXPECT_FALSE(verifier.has_value());
  EXPECT_NE(error.find("/nonexistent/ca.pem"), std::string::npos) << error;
}

TEST(NodeVerifierCreate, ReportsInvalidPattern) {
  std::string error;
  auto verifier = node_verifier::create(testing::go_choria_file("certs/ca.pem"),
                                        {"/a(b/"}, {}, &error);
  EXPECT_FALSE(verifier.has_value());
  EXPECT_NE(error.find("a(b"), std::string::npos) << error;
}

// Certificates from a CA made by pki, checked by verifiers trusting either
// that CA or the go-choria one.
class OwnCaVerifier : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    auto ca = pki::make_ca("Test CA", 30, &error);
    ASSERT_TRUE(ca.has_value()) << error;
    ca_ = *ca;
    ca_path_ = dir_.write("ca.pem", ca_.certificate_pem);
  }

  signing_identity issue(const std::string& name,
                         pki::certificate_request request) {
    std::string error;
    request.common_name = name;
    auto pair = pki::issue(ca_, request, &error);
    if (!pair) throw std::runtime_error(error);
    return testing::identity_from(dir_, name, *pair);
  }

  testing::temp_dir dir_;
  pki::key_pair ca_;
  std::string ca_path_;
  std::int64_t now_ = testing::unix_now();
};

TEST_F(OwnCaVerifier, CertificateFromOtherCaIsUntrusted) {
  auto identity = issue("gw.privileged.mcollective", {});
  auto go_choria = make_verifier(testing::go_choria_file("certs/ca.pem"));
  EXPECT_EQ(go_choria.verify(decoded_request(identity, {}), now_),
            rejection::untrusted_cert);
  auto own = make_verifier(ca_path_);
  EXPECT_EQ(own.verify(decoded_request(identity, {}), now_), rejection::none);
}

TEST_F(OwnCaVerifier, GoChoriaCertIsUntrustedByOwnCa) {
  auto own = make_verifier(ca_path_);
  auto privileged = go_choria_identity("1.privileged.mcollective");
  EXPECT_EQ(own.verify(decoded_request(privileged, {}), now_),
            rejection::untrusted_cert);
}

TEST_F(OwnCaVerifier, NameOutsideAllowListIsNotAllowed) {
  auto identity = issue("bob.example.net", {});
  auto own = make_verifier(ca_path_);
  EXPECT_EQ(own.verify(decoded_request(identity,
                                       {.caller_id = "choria=bob.example.net"}),
                       now_),
            rejection::not_allowed);
  EXPECT_EQ(
      own.verify(decoded_request(identity, {.caller_id = "choria=bob"}), now_),
      rejection::callerid_mismatch);
}

TEST_F(OwnCaVerifier, CertificateWithoutClientAuthIsUntrusted) {
  auto identity = issue("gw.privileged.choria",
                        {.client_auth = false, .server_auth = true});
  auto own = make_verifier(ca_path_);
  EXPECT_EQ(own.verify(decoded_request(identity, {}), now_),
            rejection::untrusted_cert);
}

TEST_F(OwnCaVerifier, ExpiredCertificateIsUntrusted) {
  auto identity = issue("gw.privileged.choria",
                        {.valid_days = 5, .not_before_days_ago = 10});
  auto own = make_verifier(ca_path_);
  EXPECT_EQ(own.verify(decoded_request(identity, {}), now_),
            rejection::untrusted_cert);
}

TEST_F(OwnCaVerifier, PrivilegedDnsNameIsPrivileged) {
  auto identity = issue("gateway", {.dns_names = {"gw.privileged.choria"}});
  auto own = make_verifier(ca_path_);
  EXPECT_EQ(
      own.verify(decoded_request(identity, {.caller_id = "choria=bob"}), now_),
      rejection::none);
}

TEST_F(OwnCaVerifier, DnsNameMayEqualCertname) {
  auto identity = issue("bob", {.dns_names = {"bob.choria"}});
  auto own = make_verifier(ca_path_);
  EXPECT_EQ(
      own.verify(decoded_request(identity, {.caller_id = "choria=bob.choria"}),
                 now_),
      rejection::none);
}

}  // namespace
}  // namespace gateway::choria

#include "gateway/choria/pki.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "fixtures.hpp"

namespace gateway::pki {
namespace {

using cert_ptr = std::unique_ptr<X509, decltype(&X509_free)>;

cert_ptr parse(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return cert_ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                  X509_free);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool has_extension(X509* cert, int nid) {
  return X509_get_ext_by_NID(cert, nid, -1) >= 0;
}

class Pki : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    auto ca = make_ca("Test CA", 30, &error);
    ASSERT_TRUE(ca.has_value()) << error;
    ca_ = *ca;
  }

  key_pair issue_ok(const certificate_request& request) {
    std::string error;
    auto pair = issue(ca_, request, &error);
    if (!pair) throw std::runtime_error(error);
    return *pair;
  }

  key_pair ca_;
};

TEST_F(Pki, CaHasCaExtensions) {
  auto cert = parse(ca_.certificate_pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_get_version(cert.get()), 2);  // X.509 v3
  EXPECT_EQ(X509_check_ca(cert.get()), 1);
  EXPECT_NE(X509_get_key_usage(cert.get()) & KU_KEY_CERT_SIGN, 0u);
  EXPECT_TRUE(has_extension(cert.get(), NID_subject_key_identifier));
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_sha256WithRSAEncryption);
  EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(cert.get())), 2048);
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()),
                          X509_get_issuer_name(cert.get())),
            0);
}

TEST_F(Pki, KeysArePkcs8) {
  EXPECT_EQ(ca_.private_key_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  auto leaf = issue_ok({.common_name = "a.choria"});
  EXPECT_EQ(leaf.private_key_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
}

TEST_F(Pki, LeafHasRequestedExtensions) {
  auto pair = issue_ok({.common_name = "gw.privileged.choria",
                        .dns_names = {"gw.example.net", "localhost"},
                        .ip_addresses = {"127.0.0.1", "::1"},
                        .client_auth = true,
                        .server_auth = true});
  auto cert = parse(pair.certificate_pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  EXPECT_EQ(X509_check_host(cert.get(), "gw.example.net", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "::1", 0), 1);
  auto usage = X509_get_extended_key_usage(cert.get());
  EXPECT_NE(usage & XKU_SSL_CLIENT, 0u);
  EXPECT_NE(usage & XKU_SSL_SERVER, 0u);
  EXPECT_NE(X509_get_key_usage(cert.get()) & KU_DIGITAL_SIGNATURE, 0u);
  EXPECT_TRUE(has_extension(cert.get(), NID_subject_key_identifier));
  EXPECT_TRUE(has_extension(cert.get(), NID_authority_key_identifier));
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_sha256WithRSAEncryption);
}

TEST_F(Pki, LeafVerifiesAgainstCa) {
  auto ca = parse(ca_.certificate_pem);
  auto leaf = parse(issue_ok({.common_name = "a.choria"}).certificate_pem);
  ASSERT_TRUE(ca);
  ASSERT_TRUE(leaf);
  EXPECT_EQ(X509_check_issued(ca.get(), leaf.get()), X509_V_OK);
  EXPECT_EQ(X509_verify(leaf.get(), X509_get0_pubkey(ca.get())), 1);
}

TEST_F(Pki, ClientOnlyLeafLacksServerAuth) {
  auto cert = parse(issue_ok({.common_name = "a.choria"}).certificate_pem);
  auto usage = X509_get_extended_key_usage(cert.get());
  EXPECT_NE(usage & XKU_SSL_CLIENT, 0u);
  EXPECT_EQ(usage & XKU_SSL_SERVER, 0u);
}

TEST_F(Pki, SerialsDiffer) {
  auto first = parse(issue_ok({.common_name = "a.choria"}).certificate_pem);
  auto second = parse(issue_ok({.common_name = "a.choria"}).certificate_pem);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(first.get()),
                             X509_get0_serialNumber(second.get())),
            0);
}

TEST_F(Pki, ValidityFollowsRequest) {
  auto cert = parse(issue_ok({.common_name = "a.choria",
                              .valid_days = 5,
                              .not_before_days_ago = 10})
                        .certificate_pem);
  int days = 0;
  int seconds = 0;
  // notAfter lies about five days in the past.
  ASSERT_EQ(
      ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert.get())),
      1);
  EXPECT_EQ(days, -5);
}

TEST_F(Pki, RejectsInvalidIpAddress) {
  std::string error;
  auto pair =
      issue(ca_, {.common_name = "a", .ip_addresses = {"300.1.1.1"}}, &error);
  EXPECT_FALSE(pair.has_value());
  EXPECT_NE(error.find("300.1.1.1"), std::string::npos) << error;
}

TEST_F(Pki, RejectsInvalidValidity) {
  std::string error;
  EXPECT_FALSE(issue(ca_, {.common_name = "a", .valid_days = 0}, &error));
  EXPECT_NE(error.find("valid_days"), std::string::npos) << error;
  EXPECT_FALSE(make_ca("CA", 0, &error));
  EXPECT_NE(error.find("valid_days"), std::string::npos) << error;
}

TEST_F(Pki, RejectsMismatchedCaKey) {
  std::string error;
  auto other = make_ca("Other CA", 30, &error);
  ASSERT_TRUE(other.has_value()) << error;
  key_pair mixed{ca_.certificate_pem, other->private_key_pem};
  EXPECT_FALSE(issue(mixed, {.common_name = "a"}, &error));
  EXPECT_NE(error.find("does not belong"), std::string::npos) << error;
}

TEST(WriteFile, CreatesWithMode) {
  choria::testing::temp_dir dir;
  std::string path = dir.path() + "/key.pem";
  std::string error;
  ASSERT_TRUE(write_file(path, "secret", 0600, &error)) << error;
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(read_file(path), "secret");
}

TEST(WriteFile, ReplacesExistingFile) {
  choria::testing::temp_dir dir;
  std::string path = dir.write("cert.pem", "old text that is longer");
  std::string error;
  ASSERT_TRUE(write_file(path, "new", 0644, &error)) << error;
  EXPECT_EQ(read_file(path), "new");
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
  // No temporary file is left behind.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST(WriteFile, ReportsMissingFolder) {
  std::string error;
  EXPECT_FALSE(write_file("/nonexistent/folder/key.pem", "x", 0600, &error));
  EXPECT_NE(error.find("/nonexistent/folder/key.pem"), std::string::npos)
      << error;
}

}  // namespace
}  // namespace gateway::pki

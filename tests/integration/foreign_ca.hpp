// A second certificate authority for the integration tests, unrelated to
// the CA that `choria-rest-gateway init` writes, so that a test can hand one
// side of a TLS connection a certificate the other side does not trust.
#pragma once

#include <optional>
#include <string>

#include "gateway/choria/pki.hpp"

namespace gateway::integration {

// PEM files written into one folder: ca.pem, and <name>.pem with
// <name>-key.pem for every certificate issued.
class foreign_ca {
 public:
  // Creates the CA and writes folder/ca.pem. Returns nullopt and sets
  // *error when OpenSSL or the file system fails.
  [[nodiscard]] static std::optional<foreign_ca> create(
      const std::string& folder, std::string* error);

  // Issues a certificate and writes it as folder/<name>.pem and
  // folder/<name>-key.pem. Returns false and sets *error on failure.
  [[nodiscard]] bool issue(const std::string& name,
                           const pki::certificate_request& request,
                           std::string* error) const;

  // A certificate for nats-server on loopback: CN localhost, DNS localhost,
  // IP 127.0.0.1, server-auth usage.
  [[nodiscard]] bool issue_broker(const std::string& name,
                                  std::string* error) const;

  [[nodiscard]] std::string ca_file() const { return folder_ + "/ca.pem"; }
  [[nodiscard]] std::string certificate_file(const std::string& name) const {
    return folder_ + "/" + name + ".pem";
  }
  [[nodiscard]] std::string key_file(const std::string& name) const {
    return folder_ + "/" + name + "-key.pem";
  }

 private:
  foreign_ca(std::string folder, pki::key_pair ca)
      : folder_(std::move(folder)), ca_(std::move(ca)) {}

  std::string folder_;
  pki::key_pair ca_;
};

}  // namespace gateway::integration

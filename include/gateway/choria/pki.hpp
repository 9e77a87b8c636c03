// A throwaway certificate authority for `choria-rest-gateway init` and the
// tests: RSA-2048 keys, SHA-256 signatures, X.509 v3 extensions as Choria
// and NATS expect them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gateway::pki {

struct key_pair {
  std::string certificate_pem;
  std::string private_key_pem;  // PKCS#8
};

struct certificate_request {
  std::string common_name{};
  std::vector<std::string> dns_names{};     // subjectAltName DNS entries
  std::vector<std::string> ip_addresses{};  // subjectAltName IP entries
  bool client_auth = true;                  // extendedKeyUsage clientAuth
  bool server_auth = false;                 // extendedKeyUsage serverAuth
  int valid_days = 365;
  // Moves the validity window into the past: notBefore is this many days
  // ago, and notAfter is valid_days after notBefore. Tests use it to make
  // expired certificates.
  int not_before_days_ago = 0;
};

// Creates a self-signed CA (basicConstraints CA:TRUE, keyCertSign, cRLSign).
// notBefore is backdated by five minutes to absorb clock skew, as in issue.
[[nodiscard]] std::optional<key_pair> make_ca(const std::string& common_name,
                                              int valid_days,
                                              std::string* error);

// Issues a leaf certificate signed by ca: a new RSA-2048 key, a random
// 128-bit serial, basicConstraints CA:FALSE, keyUsage digitalSignature and
// keyEncipherment, the requested extendedKeyUsage and subjectAltName, and
// key identifiers. Fails on an unparsable CA or IP address.
[[nodiscard]] std::optional<key_pair> issue(const key_pair& ca,
                                            const certificate_request& request,
                                            std::string* error);

// Writes text to path with the given mode (0600 for keys), replacing any
// file there atomically: the text goes to a temporary file in the same
// folder, created with that mode and synced, which is then renamed over
// path. Returns false and sets *error on failure.
[[nodiscard]] bool write_file(const std::string& path, const std::string& text,
                              unsigned mode, std::string* error);

}  // namespace gateway::pki

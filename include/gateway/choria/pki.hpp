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
  std::string common_name;
  std::vector<std::string> dns_names;     // subjectAltName DNS entries
  std::vector<std::string> ip_addresses;  // subjectAltName IP entries
  bool client_auth = true;                // extendedKeyUsage clientAuth
  bool server_auth = false;               // extendedKeyUsage serverAuth
  int valid_days = 365;
};

// Creates a self-signed CA (basicConstraints CA:TRUE, keyCertSign).
std::optional<key_pair> make_ca(const std::string& common_name,
                                int valid_days, std::string* error);

// Issues a leaf certificate signed by ca.
std::optional<key_pair> issue(const key_pair& ca,
                              const certificate_request& request,
                              std::string* error);

// Writes text to path with the given mode (0600 for keys), replacing any
// file there. Returns false and sets *error on failure.
bool write_file(const std::string& path, const std::string& text,
                unsigned mode, std::string* error);

}  // namespace gateway::pki

// OpenSSL handles and helpers shared by the protocol, node checks and PKI.
// Internal to gateway_choria.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gateway::choria::detail {

struct x509_deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct pkey_deleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct x509_store_deleter {
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};

using x509_ptr = std::unique_ptr<X509, x509_deleter>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;
using x509_store_ptr = std::unique_ptr<X509_STORE, x509_store_deleter>;

// Reads a whole file. On failure returns nullopt and sets *error to
// "<path>: <strerror>".
std::optional<std::string> read_text_file(const std::string& path,
                                          std::string* error);

// Takes and clears the OpenSSL error queue as one line of text, or
// "unknown OpenSSL error" when it is empty.
std::string take_openssl_error();

// Parses every certificate in a PEM text, first one first. Returns an empty
// vector when the text contains none.
std::vector<x509_ptr> parse_certificates(std::string_view pem);

// Parses a PEM private key, PKCS#1 or PKCS#8, unencrypted.
pkey_ptr parse_private_key(std::string_view pem);

// PEM text of a certificate or of a private key in PKCS#8.
std::string certificate_to_pem(X509* cert);
std::string private_key_to_pem(EVP_PKEY* key);

// The subject's common name, or an empty string.
std::string common_name(X509* cert);

// The DNS entries of the subjectAltName extension.
std::vector<std::string> dns_names(X509* cert);

// Verifies an RSA-PKCS1v15 SHA-256 signature over message.
bool verify_sha256_signature(EVP_PKEY* key, std::string_view message,
                             std::string_view signature);

// Builds a trust store from every certificate in a CA bundle file.
x509_store_ptr load_ca_store(const std::string& ca_path, std::string* error);

// Unix seconds of an ASN1_TIME, or nullopt when it cannot be read.
std::optional<std::int64_t> unix_time(const ASN1_TIME* time);

}  // namespace gateway::choria::detail

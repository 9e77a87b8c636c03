#include "gateway/choria/pki.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "gateway/common/encoding.hpp"

#include "openssl_util.hpp"

namespace gateway::pki {

namespace {

using choria::detail::pkey_ptr;
using choria::detail::take_openssl_error;
using choria::detail::x509_ptr;

constexpr long seconds_per_day = 86400;
// notBefore lies this far in the past so that hosts with a slightly slow
// clock accept a certificate issued a moment ago.
constexpr long clock_skew_seconds = 300;

// Sets *error to the action that failed and the OpenSSL reason; returns nullopt
// for the caller to return.
std::nullopt_t fail(std::string* error, const std::string& action) {
  *error = action + " failed: " + take_openssl_error();
  return std::nullopt;
}

// A positive random 128-bit serial number.
bool set_random_serial(X509* cert) {
  std::string bytes = random_bytes(16);
  bytes[0] = static_cast<char>(bytes[0] & 0x7f);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> number(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                static_cast<int>(bytes.size()), nullptr),
      BN_free);
  return number && BN_to_ASN1_INTEGER(number.get(),
                                      X509_get_serialNumber(cert)) != nullptr;
}

bool set_subject(X509* cert, const std::string& common_name) {
  X509_NAME* name = X509_get_subject_name(cert);
  return X509_NAME_add_entry_by_txt(
             name, "CN", MBSTRING_UTF8,
             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
             -1, 0) == 1;
}

bool set_validity(X509* cert, int not_before_days_ago, int valid_days) {
  long start = -static_cast<long>(not_before_days_ago) * seconds_per_day -
               clock_skew_seconds;
  long end = start + clock_skew_seconds +
             static_cast<long>(valid_days) * seconds_per_day;
  return X509_gmtime_adj(X509_getm_notBefore(cert), start) != nullptr &&
         X509_gmtime_adj(X509_getm_notAfter(cert), end) != nullptr;
}

// Adds one extension written in the openssl.cnf syntax.
bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension =
      X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr) return false;
  bool added = X509_add_ext(cert, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

// A new certificate with version 3, a random serial, subject and validity.
x509_ptr new_certificate(const std::string& common_name,
                         int not_before_days_ago, int valid_days,
                         EVP_PKEY* key) {
  x509_ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1 ||
      !set_random_serial(cert.get()) || !set_subject(cert.get(), common_name) ||
      !set_validity(cert.get(), not_before_days_ago, valid_days) ||
      X509_set_pubkey(cert.get(), key) != 1)
    return nullptr;
  return cert;
}

}  // namespace

std::optional<key_pair> make_ca(const std::string& common_name, int valid_days,
                                std::string* error) {
  if (valid_days < 1) {
    *error = "valid_days must be at least 1, got " + std::to_string(valid_days);
    return std::nullopt;
  }
  pkey_ptr key(EVP_RSA_gen(2048));
  if (!key) return fail(error, "generating the CA key");
  x509_ptr cert = new_certificate(common_name, 0, valid_days, key.get());
  if (!cert ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1)
    return fail(error, "building the CA certificate");

  X509* self = cert.get();
  if (!add_extension(self, self, NID_basic_constraints, "critical,CA:TRUE") ||
      !add_extension(self, self, NID_key_usage,
                     "critical,keyCertSign,cRLSign,digitalSignature") ||
      !add_extension(self, self, NID_subject_key_identifier, "hash") ||
      !add_extension(self, self, NID_authority_key_identifier, "keyid:always"))
    return fail(error, "adding the CA extensions");

  if (X509_sign(self, key.get(), EVP_sha256()) == 0)
    return fail(error, "signing the CA certificate");
  return key_pair{choria::detail::certificate_to_pem(self),
                  choria::detail::private_key_to_pem(key.get())};
}

namespace {

// The subjectAltName extension built from DNS and IP entries. Built as
// GENERAL_NAMES, not config text, so a name with a comma cannot inject
// another entry.
bool add_subject_alt_names(X509* cert, const certificate_request& request,
                           std::string* error) {
  if (request.dns_names.empty() && request.ip_addresses.empty()) return true;
  std::unique_ptr<GENERAL_NAMES, decltype(&GENERAL_NAMES_free)> names(
      sk_GENERAL_NAME_new_null(), GENERAL_NAMES_free);
  if (!names) return false;
  for (const auto& dns : request.dns_names) {
    GENERAL_NAME* entry = GENERAL_NAME_new();
    ASN1_IA5STRING* text = ASN1_IA5STRING_new();
    if (entry == nullptr || text == nullptr ||
        ASN1_STRING_set(text, dns.data(), static_cast<int>(dns.size())) != 1) {
      GENERAL_NAME_free(entry);
      ASN1_IA5STRING_free(text);
      return false;
    }
    GENERAL_NAME_set0_value(entry, GEN_DNS, text);
    sk_GENERAL_NAME_push(names.get(), entry);
  }
  for (const auto& ip : request.ip_addresses) {
    ASN1_OCTET_STRING* address = a2i_IPADDRESS(ip.c_str());
    GENERAL_NAME* entry = address ? GENERAL_NAME_new() : nullptr;
    if (entry == nullptr) {
      ASN1_OCTET_STRING_free(address);
      ERR_clear_error();
      *error = "invalid IP address '" + ip + "' in the certificate request";
      return false;
    }
    GENERAL_NAME_set0_value(entry, GEN_IPADD, address);
    sk_GENERAL_NAME_push(names.get(), entry);
  }
  return X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0,
                           X509V3_ADD_DEFAULT) == 1;
}

// "clientAuth,serverAuth" or a subset, empty when neither is requested.
std::string extended_key_usage(const certificate_request& request) {
  std::string usage;
  if (request.client_auth) usage = "clientAuth";
  if (request.server_auth)
    usage += usage.empty() ? "serverAuth" : ",serverAuth";
  return usage;
}

bool add_leaf_extensions(X509* cert, X509* issuer,
                         const certificate_request& request,
                         std::string* error) {
  std::string usage = extended_key_usage(request);
  if (!add_extension(cert, issuer, NID_basic_constraints,
                     "critical,CA:FALSE") ||
      !add_extension(cert, issuer, NID_key_usage,
                     "critical,digitalSignature,keyEncipherment") ||
      (!usage.empty() &&
       !add_extension(cert, issuer, NID_ext_key_usage, usage.c_str())) ||
      !add_extension(cert, issuer, NID_subject_key_identifier, "hash") ||
      !add_extension(cert, issuer, NID_authority_key_identifier,
                     "keyid:always")) {
    fail(error, "adding the certificate extensions");
    return false;
  }
  if (!add_subject_alt_names(cert, request, error)) {
    if (error->empty()) fail(error, "adding the subjectAltName extension");
    return false;
  }
  return true;
}

// Parses the CA's certificate and key and checks that they belong together.
bool load_ca(const key_pair& ca, x509_ptr* cert, pkey_ptr* key,
             std::string* error) {
  auto certs = choria::detail::parse_certificates(ca.certificate_pem);
  *key = choria::detail::parse_private_key(ca.private_key_pem);
  if (certs.empty() || !*key) {
    ERR_clear_error();
    *error = "the CA certificate or key is not valid PEM";
    return false;
  }
  if (X509_check_private_key(certs.front().get(), key->get()) != 1) {
    ERR_clear_error();
    *error = "the CA key does not belong to the CA certificate";
    return false;
  }
  *cert = std::move(certs.front());
  return true;
}

}  // namespace

std::optional<key_pair> issue(const key_pair& ca,
                              const certificate_request& request,
                              std::string* error) {
  error->clear();
  if (request.valid_days < 1 || request.not_before_days_ago < 0) {
    *error =
        "valid_days must be at least 1 and not_before_days_ago at "
        "least 0";
    return std::nullopt;
  }
  x509_ptr ca_cert;
  pkey_ptr ca_key;
  if (!load_ca(ca, &ca_cert, &ca_key, error)) return std::nullopt;

  pkey_ptr key(EVP_RSA_gen(2048));
  if (!key) return fail(error, "generating the key");
  x509_ptr cert =
      new_certificate(request.common_name, request.not_before_days_ago,
                      request.valid_days, key.get());
  if (!cert || X509_set_issuer_name(cert.get(),
                                    X509_get_subject_name(ca_cert.get())) != 1)
    return fail(error, "building the certificate");
  if (!add_leaf_extensions(cert.get(), ca_cert.get(), request, error))
    return std::nullopt;

  if (X509_sign(cert.get(), ca_key.get(), EVP_sha256()) == 0)
    return fail(error, "signing the certificate");
  return key_pair{choria::detail::certificate_to_pem(cert.get()),
                  choria::detail::private_key_to_pem(key.get())};
}

}  // namespace gateway::pki

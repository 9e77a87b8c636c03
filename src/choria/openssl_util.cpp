#include "openssl_util.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

namespace gateway::choria::detail {

namespace {

struct bio_deleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using bio_ptr = std::unique_ptr<BIO, bio_deleter>;

bio_ptr memory_bio(std::string_view text) {
  return bio_ptr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

std::optional<std::string> read_text_file(const std::string& path,
                                          std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    *error = path + ": read failed";
    return std::nullopt;
  }
  return text.str();
}

std::string take_openssl_error() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "unknown OpenSSL error" : text;
}

std::vector<x509_ptr> parse_certificates(std::string_view pem) {
  std::vector<x509_ptr> certs;
  bio_ptr bio = memory_bio(pem);
  if (!bio) return certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
    certs.emplace_back(cert);
  // Reading stops with an end-of-data error that is no failure.
  ERR_clear_error();
  return certs;
}

pkey_ptr parse_private_key(std::string_view pem) {
  bio_ptr bio = memory_bio(pem);
  if (!bio) return nullptr;
  return pkey_ptr(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

std::string certificate_to_pem(X509* cert) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return {};
  return bio_text(bio.get());
}

std::string private_key_to_pem(EVP_PKEY* key) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes the PKCS#8 "PRIVATE KEY" form.
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0,
                                       nullptr, nullptr) != 1)
    return {};
  return bio_text(bio.get());
}

std::string common_name(X509* cert) {
  X509_NAME* subject = X509_get_subject_name(cert);
  int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return {};
  ASN1_STRING* data =
      X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  unsigned char* utf8 = nullptr;
  int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) return {};
  std::string name(reinterpret_cast<char*>(utf8),
                   static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return name;
}

std::vector<std::string> dns_names(X509* cert) {
  std::vector<std::string> names;
  auto* general_names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (general_names == nullptr) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(general_names); ++i) {
    const GENERAL_NAME* entry = sk_GENERAL_NAME_value(general_names, i);
    if (entry->type != GEN_DNS) continue;
    const ASN1_IA5STRING* dns = entry->d.dNSName;
    names.emplace_back(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
        static_cast<std::size_t>(ASN1_STRING_length(dns)));
  }
  GENERAL_NAMES_free(general_names);
  return names;
}

bool verify_sha256_signature(EVP_PKEY* key, std::string_view message,
                             std::string_view signature) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!context) return false;
  bool valid =
      EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr,
                           key) == 1 &&
      EVP_DigestVerify(context.get(),
                       reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ERR_clear_error();
  return valid;
}

x509_store_ptr load_ca_store(const std::string& ca_path, std::string* error) {
  auto text = read_text_file(ca_path, error);
  if (!text) return nullptr;
  auto certs = parse_certificates(*text);
  if (certs.empty()) {
    *error = ca_path + ": no PEM certificate found";
    return nullptr;
  }
  x509_store_ptr store(X509_STORE_new());
  if (!store) {
    *error = take_openssl_error();
    return nullptr;
  }
  for (auto& cert : certs) {
    if (X509_STORE_add_cert(store.get(), cert.get()) != 1) {
      *error = ca_path + ": " + take_openssl_error();
      return nullptr;
    }
  }
  return store;
}

std::optional<std::int64_t> unix_time(const ASN1_TIME* time) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&parts));
}

}  // namespace gateway::choria::detail

#include <openssl/x509v3.h>

#include <ctime>

#include "gateway/choria/security.hpp"

#include "chain.hpp"
#include "openssl_util.hpp"
#include "patterns.hpp"

namespace gateway::choria {

namespace {

std::string join(const std::vector<std::string>& parts,
                 std::string_view separator) {
  std::string text;
  for (const auto& part : parts) {
    if (!text.empty()) text += separator;
    text += part;
  }
  return text;
}

// Returns what is wrong with the chain, or an empty string when it
// verifies now.
std::string check_chain(X509_STORE* store,
                        const std::vector<detail::x509_ptr>& certs,
                        const std::string& cert_path,
                        const std::string& ca_path) {
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  auto chain = detail::verify_chain(store, certs, now, false);
  if (chain.error == X509_V_OK) return {};

  std::string subject = chain.error_depth == 0
                            ? cert_path
                            : "a CA certificate in the chain of " + cert_path;
  if (chain.error == X509_V_ERR_CERT_HAS_EXPIRED)
    return subject + " has expired: issue a new certificate";
  if (chain.error == X509_V_ERR_CERT_NOT_YET_VALID)
    return subject + " is not valid yet: check the clock or reissue it";
  return cert_path + " does not verify against the CA in " + ca_path + " (" +
         X509_verify_cert_error_string(chain.error) +
         "): issue it from that CA or set the CA file the nodes trust";
}

// Returns what is wrong with the extended key usage, or an empty string.
std::string check_client_auth(X509* cert, const std::string& cert_path) {
  bool has_eku = (X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) != 0;
  if (has_eku && (X509_get_extended_key_usage(cert) & XKU_SSL_CLIENT) == 0)
    return cert_path +
           " lacks the clientAuth extended key usage that nodes require: "
           "reissue it with clientAuth";
  if (X509_check_purpose(cert, X509_PURPOSE_SSL_CLIENT, 0) != 1)
    return cert_path +
           " is not usable for TLS client authentication (check keyUsage "
           "digitalSignature): reissue it";
  return {};
}

// Returns what is wrong with the names, or an empty string.
std::string check_privileged_name(X509* cert, const std::string& cert_path,
                                  const detail::pattern_set& privileged) {
  std::vector<std::string> names{detail::common_name(cert)};
  for (auto& dns : detail::dns_names(cert)) names.push_back(std::move(dns));
  for (const auto& name : names)
    if (privileged.matches(name)) return {};
  return cert_path + " names (" + join(names, ", ") +
         ") match no privileged pattern (" + privileged.describe() +
         "): issue a certificate whose common name matches one, such as "
         "gateway.privileged.choria, or add its name to "
         "plugin.choria.security.privileged_users on the nodes and here";
}

}  // namespace

std::string check_gateway_certificate(
    const std::string& cert_path, const std::string& ca_path,
    const std::vector<std::string>& privileged) {
  std::string error;
  auto text = detail::read_text_file(cert_path, &error);
  if (!text) return "reading the gateway certificate failed: " + error;
  auto certs = detail::parse_certificates(*text);
  if (certs.empty())
    return cert_path +
           " contains no PEM certificate: point the gateway "
           "at its certificate file";
  auto store = detail::load_ca_store(ca_path, &error);
  if (!store) return "loading the CA failed: " + error;
  auto patterns = detail::pattern_set::compile(privileged, &error);
  if (!patterns) return "the privileged pattern list is invalid: " + error;

  // Report every independent problem at once, so one run lists all fixes.
  std::vector<std::string> problems;
  for (auto problem :
       {check_chain(store.get(), certs, cert_path, ca_path),
        check_client_auth(certs.front().get(), cert_path),
        check_privileged_name(certs.front().get(), cert_path, *patterns)})
    if (!problem.empty()) problems.push_back(std::move(problem));
  return join(problems, "; ");
}

}  // namespace gateway::choria

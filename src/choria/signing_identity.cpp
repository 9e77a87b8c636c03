#include <openssl/err.h>

#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"

#include "openssl_util.hpp"

namespace gateway::choria {

struct signing_identity::impl {
  detail::pkey_ptr key;
  std::string certificate_pem;
  std::string certname;
};

signing_identity::signing_identity(std::unique_ptr<impl> state)
    : impl_(std::move(state)) {}
signing_identity::signing_identity(signing_identity&&) noexcept = default;
signing_identity& signing_identity::operator=(signing_identity&&) noexcept =
    default;
signing_identity::~signing_identity() = default;

std::optional<signing_identity> signing_identity::load(
    const std::string& cert_path, const std::string& key_path,
    std::string* error) {
  auto cert_text = detail::read_text_file(cert_path, error);
  if (!cert_text) return std::nullopt;
  auto certs = detail::parse_certificates(*cert_text);
  if (certs.empty()) {
    *error = cert_path + ": no PEM certificate found";
    return std::nullopt;
  }

  auto key_text = detail::read_text_file(key_path, error);
  if (!key_text) return std::nullopt;
  auto key = detail::parse_private_key(*key_text);
  if (!key) {
    ERR_clear_error();
    *error = key_path + ": no unencrypted PEM private key found";
    return std::nullopt;
  }
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    *error = key_path + ": not an RSA key; Choria v1 signs only with RSA";
    return std::nullopt;
  }
  if (X509_check_private_key(certs.front().get(), key.get()) != 1) {
    ERR_clear_error();
    *error =
        key_path + ": key does not belong to the certificate in " + cert_path;
    return std::nullopt;
  }

  auto state = std::make_unique<impl>();
  state->key = std::move(key);
  // Re-encode, so that text around the PEM blocks, such as the bag
  // attributes openssl pkcs12 writes, never reaches the nodes.
  for (const auto& cert : certs)
    state->certificate_pem += detail::certificate_to_pem(cert.get());
  state->certname = detail::common_name(certs.front().get());
  return signing_identity(std::move(state));
}

std::string signing_identity::sign(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t length = 0;
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr,
                         impl_->key.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length, nullptr, 0) != 1) {
    ERR_clear_error();
    return {};
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(
          context.get(), reinterpret_cast<unsigned char*>(signature.data()),
          &length, reinterpret_cast<const unsigned char*>(message.data()),
          message.size()) != 1) {
    ERR_clear_error();
    return {};
  }
  signature.resize(length);
  return base64_encode(signature);
}

const std::string& signing_identity::certificate_pem() const {
  return impl_->certificate_pem;
}

const std::string& signing_identity::certname() const {
  return impl_->certname;
}

}  // namespace gateway::choria

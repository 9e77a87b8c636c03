#include "tls_context.hpp"

#include <openssl/ssl.h>

namespace gateway::http::detail {

namespace net = boost::asio;

std::unique_ptr<net::ssl::context> make_tls_context(
    const server_options& options, std::string* error) {
  auto context =
      std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
  boost::system::error_code ec;
  context->set_options(
      net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
          net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
          net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use,
      ec);
  if (ec || SSL_CTX_set_min_proto_version(context->native_handle(),
                                          TLS1_2_VERSION) != 1) {
    *error = "cannot restrict TLS to version 1.2 or later";
    return nullptr;
  }

  context->use_certificate_chain_file(options.tls_certificate_file, ec);
  if (ec) {
    *error = "cannot load the TLS certificate chain " +
             options.tls_certificate_file + ": " + ec.message();
    return nullptr;
  }
  context->use_private_key_file(options.tls_private_key_file,
                                net::ssl::context::pem, ec);
  if (ec) {
    *error = "cannot load the TLS private key " + options.tls_private_key_file +
             ": " + ec.message();
    return nullptr;
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    *error = "the TLS private key " + options.tls_private_key_file +
             " does not match the certificate " + options.tls_certificate_file;
    return nullptr;
  }
  return context;
}

}  // namespace gateway::http::detail

// The TLS server context for HTTPS. Internal to gateway_http.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "gateway/http/server.hpp"

namespace gateway::http::detail {

// Builds a context that accepts TLS 1.2 and later, with the certificate
// chain and private key from the PEM files named in options. Returns
// nullptr and sets *error, naming the file, on failure.
[[nodiscard]] std::unique_ptr<boost::asio::ssl::context> make_tls_context(
    const server_options& options, std::string* error);

}  // namespace gateway::http::detail

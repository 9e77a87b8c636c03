// Certificate chain verification against a CA store. Internal to
// gateway_choria.
#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "openssl_util.hpp"

namespace gateway::choria::detail {

struct chain_result {
  int error = X509_V_OK;  // an X509_V_ERR_* code
  int error_depth = 0;    // 0 is the leaf
  // The window in which every certificate of the verified chain is valid,
  // in Unix seconds; set only when error is X509_V_OK.
  std::int64_t valid_from = 0;
  std::int64_t valid_until = 0;
};

// Verifies certs.front() against store, with the other certs as untrusted
// intermediates, at Unix time at. When client_auth is true the leaf must
// allow TLS client authentication (X509_PURPOSE_SSL_CLIENT).
chain_result verify_chain(X509_STORE* store, const std::vector<x509_ptr>& certs,
                          std::int64_t at, bool client_auth);

}  // namespace gateway::choria::detail

#include "chain.hpp"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <limits>
#include <memory>

namespace gateway::choria::detail {

namespace {

struct store_ctx_deleter {
  void operator()(X509_STORE_CTX* context) const {
    X509_STORE_CTX_free(context);
  }
};
struct x509_stack_deleter {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_free(stack); }
};
struct x509_owning_stack_deleter {
  void operator()(STACK_OF(X509) * stack) const {
    sk_X509_pop_free(stack, X509_free);
  }
};

// Narrows result's window to the validity of every certificate in chain.
void set_window(STACK_OF(X509) * chain, chain_result* result) {
  result->valid_from = std::numeric_limits<std::int64_t>::min();
  result->valid_until = std::numeric_limits<std::int64_t>::max();
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    X509* cert = sk_X509_value(chain, i);
    auto from = unix_time(X509_get0_notBefore(cert));
    auto until = unix_time(X509_get0_notAfter(cert));
    // An unreadable time leaves an empty window, so nothing is cached.
    result->valid_from = std::max(result->valid_from, from.value_or(1));
    result->valid_until = std::min(result->valid_until, until.value_or(0));
  }
}

}  // namespace

chain_result verify_chain(X509_STORE* store, const std::vector<x509_ptr>& certs,
                          std::int64_t at, bool client_auth) {
  chain_result result;
  std::unique_ptr<X509_STORE_CTX, store_ctx_deleter> context(
      X509_STORE_CTX_new());
  std::unique_ptr<STACK_OF(X509), x509_stack_deleter> untrusted(
      sk_X509_new_null());
  result.error = X509_V_ERR_UNSPECIFIED;
  if (!context || !untrusted || certs.empty()) return result;
  for (std::size_t i = 1; i < certs.size(); ++i)
    sk_X509_push(untrusted.get(), certs[i].get());

  if (X509_STORE_CTX_init(context.get(), store, certs.front().get(),
                          untrusted.get()) != 1) {
    ERR_clear_error();
    return result;
  }
  if (client_auth)
    X509_STORE_CTX_set_purpose(context.get(), X509_PURPOSE_SSL_CLIENT);
  X509_STORE_CTX_set_time(context.get(), 0, static_cast<time_t>(at));

  bool valid = X509_verify_cert(context.get()) == 1;
  result.error = valid ? X509_V_OK : X509_STORE_CTX_get_error(context.get());
  result.error_depth = X509_STORE_CTX_get_error_depth(context.get());
  if (valid) {
    std::unique_ptr<STACK_OF(X509), x509_owning_stack_deleter> chain(
        X509_STORE_CTX_get1_chain(context.get()));
    set_window(chain.get(), &result);
  }
  ERR_clear_error();
  return result;
}

}  // namespace gateway::choria::detail

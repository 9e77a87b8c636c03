#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "gateway/choria/security.hpp"
#include "gateway/common/encoding.hpp"

#include "chain.hpp"
#include "openssl_util.hpp"
#include "patterns.hpp"

namespace gateway::choria {

namespace {

// A certificate whose chain verified, with what the checks need from it.
struct trusted_cert {
  detail::x509_ptr cert;
  EVP_PKEY* public_key = nullptr;  // owned by cert
  std::vector<std::string> names;  // CN first, then DNS names
  bool privileged = false;
  std::int64_t valid_from = 0;  // the chain's validity window
  std::int64_t valid_until = 0;
};

// Bounds the memory of the trusted certificate cache; a full cache is
// cleared and refilled.
constexpr std::size_t max_cached_certs = 4096;

// True when time lies in (now - ttl, now + ttl). Values are clamped to
// about 35,000 years around 1970 first, so that no sum overflows.
bool within_ttl(std::int64_t time, std::int64_t ttl, std::int64_t now) {
  constexpr std::int64_t limit = std::int64_t{1} << 40;
  time = std::clamp(time, -limit, limit);
  ttl = std::clamp(ttl, -limit, limit);
  now = std::clamp(now, -limit, limit);
  return time > now - ttl && time < now + ttl;
}

}  // namespace

struct node_verifier::impl {
  detail::x509_store_ptr store;
  detail::pattern_set privileged;
  detail::pattern_set allowed;

  // Certificates that passed verify_chain, keyed by their PEM text, so that
  // a node verifies each sender's chain once per validity window.
  mutable std::mutex cache_mutex;
  mutable std::unordered_map<std::string, std::shared_ptr<const trusted_cert>>
      cache;

  std::shared_ptr<const trusted_cert> trust(const std::string& pubcert,
                                            std::int64_t now) const;
  std::shared_ptr<const trusted_cert> cached(const std::string& pubcert,
                                             std::int64_t now) const;
};

std::shared_ptr<const trusted_cert> node_verifier::impl::cached(
    const std::string& pubcert, std::int64_t now) const {
  std::lock_guard lock(cache_mutex);
  auto found = cache.find(pubcert);
  if (found == cache.end()) return nullptr;
  const auto& entry = found->second;
  if (now < entry->valid_from || now > entry->valid_until) return nullptr;
  return entry;
}

// Returns the verified certificate in pubcert, or nullptr when it does not
// chain to the CA with client-auth usage at now.
std::shared_ptr<const trusted_cert> node_verifier::impl::trust(
    const std::string& pubcert, std::int64_t now) const {
  if (auto entry = cached(pubcert, now)) return entry;

  auto certs = detail::parse_certificates(pubcert);
  if (certs.empty()) return nullptr;
  auto chain = detail::verify_chain(store.get(), certs, now, true);
  if (chain.error != X509_V_OK) return nullptr;

  auto entry = std::make_shared<trusted_cert>();
  entry->public_key = X509_get0_pubkey(certs.front().get());
  if (entry->public_key == nullptr) return nullptr;
  entry->names.push_back(detail::common_name(certs.front().get()));
  for (auto& dns : detail::dns_names(certs.front().get()))
    entry->names.push_back(std::move(dns));
  for (const auto& name : entry->names)
    entry->privileged = entry->privileged || privileged.matches(name);
  entry->valid_from = chain.valid_from;
  entry->valid_until = chain.valid_until;
  entry->cert = std::move(certs.front());

  std::lock_guard lock(cache_mutex);
  if (cache.size() >= max_cached_certs) cache.clear();
  cache[pubcert] = entry;
  return entry;
}

node_verifier::node_verifier(std::unique_ptr<impl> state)
    : impl_(std::move(state)) {}
node_verifier::node_verifier(node_verifier&&) noexcept = default;
node_verifier& node_verifier::operator=(node_verifier&&) noexcept = default;
node_verifier::~node_verifier() = default;

std::optional<node_verifier> node_verifier::create(
    const std::string& ca_path, std::vector<std::string> privileged,
    std::vector<std::string> allowed, std::string* error) {
  auto store = detail::load_ca_store(ca_path, error);
  if (!store) return std::nullopt;
  auto privileged_set = detail::pattern_set::compile(privileged, error);
  if (!privileged_set) return std::nullopt;
  auto allowed_set = detail::pattern_set::compile(allowed, error);
  if (!allowed_set) return std::nullopt;

  auto state = std::make_unique<impl>();
  state->store = std::move(store);
  state->privileged = std::move(*privileged_set);
  state->allowed = std::move(*allowed_set);
  return node_verifier(std::move(state));
}

rejection node_verifier::verify(const received_request& request,
                                std::int64_t now) const {
  if (request.headers.reply_to.empty()) return rejection::no_reply_to;
  auto certname = certname_from_callerid(request.env.caller_id);
  if (!certname) return rejection::callerid_mismatch;

  auto cert = impl_->trust(request.pubcert, now);
  if (!cert) return rejection::untrusted_cert;

  // A privileged certificate may sign for any callerid; any other must be
  // the caller's own certificate and be on the allow list.
  if (!cert->privileged) {
    bool own = false;
    for (const auto& name : cert->names) own = own || name == *certname;
    if (!own) return rejection::callerid_mismatch;
    if (!impl_->allowed.matches(*certname)) return rejection::not_allowed;
  }

  auto signature = base64_decode(request.signature);
  if (!signature || !detail::verify_sha256_signature(
                        cert->public_key, request.secure_message, *signature))
    return rejection::bad_signature;

  if (!within_ttl(request.env.time, request.env.ttl, now))
    return rejection::expired;
  return rejection::none;
}

}  // namespace gateway::choria

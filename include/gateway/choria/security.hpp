// The security checks a Choria node applies to a request, in the order of
// go-choria: certificate chain, privileged pattern or callerid match,
// signature, TTL window. Used by the fleet simulator and by the gateway's
// start-up checks. Thread safe after construction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/choria/protocol.hpp"

namespace gateway::choria {

// Every reason a node drops a request silently, in the order node_verifier
// checks them (no_reply_to first, because it needs no cryptography).
enum class rejection {
  none,
  malformed,          // decode_request failed
  untrusted_cert,     // does not chain to the CA or lacks client auth
  callerid_mismatch,  // callerid has no certname, or not privileged and
                      // the certificate's names differ from the certname
  not_allowed,        // not privileged and not in the allow list
  bad_signature,
  expired,  // time outside (now - ttl, now + ttl)
  no_reply_to,
};
[[nodiscard]] std::string_view to_string(rejection reason);

// The default privileged-user patterns of go-choria:
// \.privileged.mcollective$ and \.privileged.choria$.
[[nodiscard]] std::vector<std::string> default_privileged_patterns();
// The default allow list for ordinary certificates: \.mcollective$ and
// \.choria$.
[[nodiscard]] std::vector<std::string> default_allowed_patterns();

// Extracts the certname from a callerid with ^[a-z]+=([\w\.\-]+), so
// "choria=bob.mcollective" gives "bob.mcollective".
[[nodiscard]] std::optional<std::string> certname_from_callerid(
    std::string_view caller_id);

// True when name matches one of patterns. A pattern written /re/, or one
// containing any of \ ^ $ * + ? ( ) [ ] { } |, is an ECMAScript regular
// expression searched in name. Any other pattern, such as "gw.example.net",
// is a plain name that must equal name. A pattern that is not a valid
// regular expression matches nothing.
[[nodiscard]] bool matches_any(std::string_view name,
                               const std::vector<std::string>& patterns);

class node_verifier {
 public:
  // Loads the CA bundle at ca_path; nullopt and *error on failure. An
  // invalid regular expression in privileged or allowed is an error too.
  [[nodiscard]] static std::optional<node_verifier> create(
      const std::string& ca_path, std::vector<std::string> privileged,
      std::vector<std::string> allowed, std::string* error);

  // Checks request against the node rules at Unix time now, in this order.
  // The reply-to header is present. The certificate chains to the CA with
  // client-auth usage, and is valid at now. Its name is privileged, or it
  // equals the certname and is on the allow list. The signature is valid.
  // The request time lies inside (now - ttl, now + ttl). Returns the first
  // failure, or rejection::none. Safe to call from many threads at once.
  [[nodiscard]] rejection verify(const received_request& request,
                                 std::int64_t now) const;

  node_verifier(node_verifier&&) noexcept;
  node_verifier& operator=(node_verifier&&) noexcept;
  ~node_verifier();

 private:
  struct impl;
  explicit node_verifier(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

// Start-up checks on the gateway's own certificate: chains to the CA, not
// expired, has client-auth usage, and its CN or a DNS name matches one of
// privileged. Returns an empty string when all pass, else what to fix.
[[nodiscard]] std::string check_gateway_certificate(
    const std::string& cert_path, const std::string& ca_path,
    const std::vector<std::string>& privileged);

}  // namespace gateway::choria

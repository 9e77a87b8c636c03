// The signer: the only holder of the gateway's privileged private key. It
// turns a signing order into a Choria transport message whose callerid is
// the user's, so that the nodes' own authorization still sees who asked.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "actors/messages.hpp"
#include "gateway/choria/protocol.hpp"
#include "gateway/metrics/registry.hpp"

namespace gateway {

struct signer_config {
  std::shared_ptr<const choria::signing_identity> identity;
  std::string sender_id;        // the envelope's senderid
  std::string callerid_format;  // "{user}" is replaced by the username
  metrics::registry_ptr metrics = metrics::registry::unserved();
  // Orders sent to the signers and not yet signed, read by the submit
  // route to reject new requests while signing is behind. May be null.
  std::shared_ptr<std::atomic<std::int64_t>> backlog;
};

// Builds the envelope with the current time, signs it and wraps it in the
// transport with reply-to <collective>.reply.<md5 of certname>.<request id>.
signed_message sign_order(const signer_config& config,
                          const signing_order& order, std::int64_t now);

// Stateless, so several may run side by side on the shared scheduler.
signer_actor::behavior_type signer(signer_actor::pointer self,
                                   signer_config config);

// Spawns count signers (at least one) behind one handle that hands each
// order to the next signer in turn. An actor handles one message at a
// time, so a pool with one signer per core lets RSA signing use every
// core. Exiting the handle stops the signers.
signer_actor spawn_signer_pool(caf::actor_system& system,
                               const signer_config& config,
                               std::size_t count);

}  // namespace gateway

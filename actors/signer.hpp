// The signer: the only holder of the gateway's privileged private key. It
// turns a signing order into a Choria transport message whose callerid is
// the user's, so that the nodes' own authorization still sees who asked.
#pragma once

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
};

// Builds the envelope with the current time, signs it and wraps it in the
// transport with reply-to <collective>.reply.<md5 of certname>.<request id>.
signed_message sign_order(const signer_config& config,
                          const signing_order& order, std::int64_t now);

// Stateless, so several may run side by side on the shared scheduler.
signer_actor::behavior_type signer(signer_actor::pointer self,
                                   signer_config config);

}  // namespace gateway

// The token authority actor: logs users in and verifies bearer tokens.
// bcrypt at cost 12 takes about a quarter second, so password checks run
// on two threads of their own and token verification never waits behind
// a login. Logins and failed logins are appended to the event log.
#pragma once

#include <memory>

#include "actors/messages.hpp"
#include "gateway/auth/token_authority.hpp"
#include "gateway/auth/user_directory.hpp"
#include "gateway/metrics/registry.hpp"

namespace gateway {

struct token_authority_config {
  std::shared_ptr<const auth::user_directory> users;
  std::shared_ptr<auth::token_authority> tokens;
  event_log_actor event_log;
  metrics::registry_ptr metrics = metrics::registry::unserved();
};

// login fails with unauthorized and the same message whether the user is
// unknown or the password is wrong. verify fails with unauthorized naming
// the failed check, never the token.
token_authority_actor::behavior_type token_authority(
    token_authority_actor::pointer self, token_authority_config config);

}  // namespace gateway

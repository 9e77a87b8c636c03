// The token authority actor: logs users in and verifies bearer tokens.
// bcrypt at cost 12 takes about a quarter second, so password checks run
// on two threads of their own and token verification never waits behind
// a login. Logins and failed logins are appended to the event log.
#pragma once

#include <memory>

#include "actors/messages.hpp"
#include "gateway/auth/api_key_store.hpp"
#include "gateway/auth/login_throttle.hpp"
#include "gateway/auth/token_authority.hpp"
#include "gateway/auth/user_directory.hpp"
#include "gateway/metrics/registry.hpp"

namespace gateway {

struct token_authority_config {
  std::shared_ptr<const auth::user_directory> users;
  std::shared_ptr<auth::token_authority> tokens;
  event_log_actor event_log;
  metrics::registry_ptr metrics = metrics::registry::unserved();
  auth::throttle_settings throttle;
  // API keys; null when they are disabled. Only the actor touches it.
  std::shared_ptr<auth::api_key_store> api_keys;
};

// login fails with unauthorized and the same message whether the user is
// unknown or the password is wrong. A throttled login returns a grant with
// retry_after set and runs no password check. verify fails with unauthorized naming
// the failed check, never the token.
token_authority_actor::behavior_type token_authority(
    token_authority_actor::pointer self, token_authority_config config);

}  // namespace gateway

// The token authority's API key handlers. They run inside the token
// authority actor, which owns the key store, so they need no locking.
#pragma once

#include <string>

#include "actors/token_authority.hpp"

namespace gateway {

// The identity of a valid API key: its owner with the owner's roles and
// the key's scope. Fails with unauthorized otherwise.
[[nodiscard]] caf::result<identity> verify_api_key(
    const token_authority_config& config, const std::string& key);

// Creates a key for order.owner, who must exist. The caller has checked
// that admin may do so and that the scope is within the owner's rights.
[[nodiscard]] caf::result<status_record> create_api_key(
    const token_authority_config& config, const identity& admin,
    const api_key_order& order);

// Deletes every API key of owner, as part of revoking the user, and
// returns how many. Sets *error, and logs it, when the key file could not
// be written; the keys are rejected until the next start even then.
std::size_t revoke_api_keys_of(const token_authority_config& config,
                               const std::string& owner, std::string* error);

// {"api_keys": [...]} without secrets or hashes.
[[nodiscard]] status_record list_api_keys(
    const token_authority_config& config);

[[nodiscard]] caf::result<bool> revoke_api_key(
    const token_authority_config& config, const identity& admin,
    const std::string& id);

}  // namespace gateway

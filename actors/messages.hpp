// Messages and typed interfaces of the gateway's actors. Every type here
// travels only between actors of one process, so none is serialized and all
// are marked safe for local messaging.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "gateway/auth/policy.hpp"
#include "gateway/choria/protocol.hpp"
#include "gateway/storage/event.hpp"

namespace gateway {

// An authenticated caller, as the token authority returns it.
struct identity {
  std::string username;
  std::vector<std::string> roles;
  std::string token_id;  // the token's jti, or "apikey:<id>" for an API key
  std::int64_t expires_at = 0;  // 0 for API keys, which do not expire
  // For an API key, the agent.action patterns it is limited to on top of
  // the user's own permissions; empty for a login token.
  std::vector<std::string> scope;
};

// What an admin asks for when creating an API key.
struct api_key_order {
  std::string owner;
  std::string name;
  std::vector<std::string> scope;
  std::int64_t expires_in = 0;  // seconds from creation; 0: never expires
};

// A token issued at login, or, when retry_after is positive, no token
// because failed logins of the username or address are throttled for
// that many more seconds.
struct login_grant {
  std::string token;
  std::int64_t expires_at = 0;
  std::int64_t retry_after = 0;
};

// The RBAC evaluator's verdict, with its reason, and when allowed the
// most nodes the request may reach (0: no cap).
struct decision {
  bool allowed = false;
  std::string reason;
  std::size_t max_targets = 0;
};

// A validated submit body plus the caller; the collector works from it.
struct rpc_request {
  std::string agent;
  std::string action;
  std::string collective;
  nlohmann::json data = nlohmann::json::object();
  choria::filter target;
  std::vector<std::string> nodes;  // non-empty: direct addressing
  std::int64_t timeout_seconds = 10;
  std::int64_t discovery_timeout_seconds = 2;
  std::int64_t ttl_seconds = 60;
  // broadcast publishes once to <collective>.broadcast.agent.<agent>;
  // direct publishes to each node's subject, batch_size nodes at a time
  // (0: all at once) with batch_sleep_ms between batches.
  bool broadcast = false;
  std::size_t batch_size = 0;
  std::int64_t batch_sleep_ms = 0;
  std::string caller;  // the username
  // More fields for the request_accepted event, such as replay_of and the
  // idempotency key.
  nlohmann::json accepted_extra = nlohmann::json::object();
  // The most nodes the request may reach, from the caller's role; 0 for no
  // cap. A discovery that finds more fails the request unpublished.
  std::size_t max_targets = 0;
};

// A Choria request for the signer to build and sign.
struct signing_order {
  std::string request_id;
  std::string collective;
  std::string agent;
  std::string action;
  nlohmann::json data = nlohmann::json::object();
  bool discovery = false;  // the body is base64 of "ping", not an RPC body
  std::string caller_username;
  std::int64_t ttl_seconds = 60;
  choria::filter target;
};

// A transport message ready to publish.
struct signed_message {
  std::string request_id;
  std::string payload;
};

// A request's status record. Wrapped, because nlohmann::json converts
// implicitly to almost any type and so confuses CAF's message matching.
struct status_record {
  nlohmann::json value;
};

// A page of replies read from the event log.
struct reply_page_result {
  std::vector<nlohmann::json> replies;
  std::string next_cursor;
};

// Failure categories at actor boundaries. Each maps to one HTTP status.
enum class gateway_errc : std::uint8_t {
  unauthorized = 1,
  forbidden,
  not_found,
  invalid,
  unavailable,
  storage_failed,
  internal,
};

caf::error make_error(gateway_errc code, std::string message);

// Splits an error made by make_error back into its code and message; other
// errors become internal with CAF's description.
gateway_errc error_code(const caf::error& error);
std::string error_message(caf::actor_system& system, const caf::error& error);

// Atoms; CAF 0.17 limits each name to ten characters.
using append_atom = caf::atom_constant<caf::atom("append")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using status_atom = caf::atom_constant<caf::atom("status")>;
using replies_atom = caf::atom_constant<caf::atom("replies")>;
using login_atom = caf::atom_constant<caf::atom("login")>;
using verify_atom = caf::atom_constant<caf::atom("verify")>;
using authorize_atom = caf::atom_constant<caf::atom("authorize")>;
using sign_atom = caf::atom_constant<caf::atom("sign")>;
using publish_atom = caf::atom_constant<caf::atom("publish")>;
using register_atom = caf::atom_constant<caf::atom("register")>;
using forget_atom = caf::atom_constant<caf::atom("forget")>;
using incoming_atom = caf::atom_constant<caf::atom("incoming")>;
using connected_atom = caf::atom_constant<caf::atom("connected")>;
using ready_atom = caf::atom_constant<caf::atom("ready")>;
using connection_atom = caf::atom_constant<caf::atom("connection")>;
using start_atom = caf::atom_constant<caf::atom("start")>;
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;
using discovered_atom = caf::atom_constant<caf::atom("discovered")>;
using batch_atom = caf::atom_constant<caf::atom("batch")>;
using logout_atom = caf::atom_constant<caf::atom("logout")>;
using revoke_atom = caf::atom_constant<caf::atom("revoke")>;
using reload_atom = caf::atom_constant<caf::atom("reload")>;
using key_create_atom = caf::atom_constant<caf::atom("keycreate")>;
using key_list_atom = caf::atom_constant<caf::atom("keylist")>;
using key_revoke_atom = caf::atom_constant<caf::atom("keyrevoke")>;

// Appends events in one atomic batch and returns the last sequence number
// once the batch is durable (or in the WAL, as configured). ready writes
// what is queued and returns the last sequence.
using event_log_actor = caf::typed_actor<
    caf::replies_to<append_atom, std::vector<storage::event>>::with<
        std::uint64_t>,
    caf::reacts_to<flush_atom>,
    caf::replies_to<ready_atom>::with<std::uint64_t>>;

// Serves reads from the event log's read models.
using event_reader_actor = caf::typed_actor<
    caf::replies_to<status_atom, std::string>::with<status_record>,
    caf::replies_to<replies_atom, std::string, std::string,
                    std::uint64_t>::with<reply_page_result>,
    caf::replies_to<ready_atom>::with<bool>>;

// Issues and verifies bearer tokens and API keys. login takes username,
// password and the client address; verify takes the token or key. logout
// revokes the caller's token and revoke every token of the named user; both
// return the sequence of the token_revoked event once it is durable.
// key_create returns the new key once (as {"id","key",...}), key_list the
// keys without secrets or hashes, key_revoke deletes a key by id.
using token_authority_actor = caf::typed_actor<
    caf::replies_to<login_atom, std::string, std::string,
                    std::string>::with<login_grant>,
    caf::replies_to<verify_atom, std::string>::with<identity>,
    caf::replies_to<logout_atom, identity>::with<std::uint64_t>,
    caf::replies_to<revoke_atom, identity, std::string>::with<std::uint64_t>,
    caf::replies_to<key_create_atom, identity, api_key_order>::with<
        status_record>,
    caf::replies_to<key_list_atom>::with<status_record>,
    caf::replies_to<key_revoke_atom, identity, std::string>::with<bool>>;

// A role policy for the RBAC evaluator to switch to.
struct policy_update {
  std::shared_ptr<const auth::policy> rules;
};

// Decides whether a user may call agent.action: by the action alone, or
// for a whole request with the role constraints (collectives, target caps,
// broad actions), or whether every pattern of an API key scope is within a
// user's permissions. reload switches to another policy for every later
// decision.
using rbac_evaluator_actor = caf::typed_actor<
    caf::replies_to<authorize_atom, identity, std::string,
                    std::string>::with<decision>,
    caf::replies_to<authorize_atom, identity, rpc_request>::with<decision>,
    caf::replies_to<authorize_atom, std::string,
                    std::vector<std::string>>::with<decision>,
    caf::reacts_to<reload_atom, policy_update>>;

// Signs Choria requests with the gateway's privileged certificate.
using signer_actor = caf::typed_actor<
    caf::replies_to<sign_atom, signing_order>::with<signed_message>>;

// A collector receives the replies of its request id, which the NATS
// delivery thread has decoded and hash-checked. A reply that failed either
// check arrives with its decode error.
using reply_sink_actor =
    caf::typed_actor<caf::reacts_to<incoming_atom, choria::reply_result>>;

// Owns the NATS connection. register routes replies for a request id to a
// collector until forget, and connected carries the connection state from
// NATS callbacks.
using broker_link_actor = caf::typed_actor<
    caf::replies_to<publish_atom, std::string, std::string>::with<bool>,
    caf::reacts_to<register_atom, std::string, reply_sink_actor>,
    caf::reacts_to<forget_atom, std::string>,
    caf::reacts_to<connected_atom, bool>,
    caf::replies_to<ready_atom>::with<bool>,
    // The number of the current broker connection, counted from 1 at
    // start; 0 while disconnected. A change means replies may be lost.
    caf::replies_to<connection_atom>::with<std::uint64_t>>;

}  // namespace gateway

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::identity)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::login_grant)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::api_key_order)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::decision)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::policy_update)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::rpc_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::signing_order)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::signed_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::reply_page_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::status_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::choria::reply_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<gateway::storage::event>)

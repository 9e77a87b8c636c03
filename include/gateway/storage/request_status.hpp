// The request status read model: a pure projection of request events onto
// one JSON record per request, and the reply record served in reply pages.
//
// Event data read by the projection, per kind (missing fields take the
// default shown, fields of the wrong type are treated as missing):
//   request_accepted     {agent, action, collective, data, filter, nodes,
//                         timeout, discovery_timeout, ttl,
//                         discovering: bool = false, replay_of: request id,
//                         idempotency_key, request_hash}
//   discovery_completed  {nodes: [names]}
//   request_published    {expected_nodes: [names], deadline: Unix ms}
//   reply_received       {sender, statuscode = 0, statusmsg, data,
//                         received_at: ISO-8601 text or Unix ms (default:
//                         the event time), expected: bool = true}
//   request_completed,
//   request_expired      {no_response: [names]}
//   request_failed       {reason}
//
// A status record has the fields request_id, state, agent, action, caller,
// collective, created_at, published_at, completed_at, deadline (ISO-8601
// UTC text or null), accepted_sequence (the sequence of the accepted event,
// which contains the full request), discovered (node count, or null without
// discovery), expected, received, ok, failed, unexpected (counts),
// no_response (list of names), reason (text or null) and replay_of (the
// request id this one replays, or null).
//
// received, ok and failed count replies from expected senders only:
// ok + failed == received <= expected. unexpected counts replies from
// senders outside the expected set; their replies are still stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/storage/event.hpp"

namespace gateway::storage {

// Request states. Terminal states never change again.
inline constexpr std::string_view state_discovering = "discovering";
inline constexpr std::string_view state_running = "running";
inline constexpr std::string_view state_complete = "complete";
inline constexpr std::string_view state_expired = "expired";
inline constexpr std::string_view state_failed = "failed";

// True for discovering and running.
bool is_unfinished_state(std::string_view state);

// True if status is a record whose state is discovering or running.
bool is_unfinished(const nlohmann::json& status);

// Applies e to status, the record of e.request_id or null when there is
// none yet. request_accepted creates the record; the other request kinds
// update an existing one. Returns false and leaves status unchanged when e
// does not change it: kinds without a status (request_denied, logins), an
// event for a request without a record, a second request_accepted, or a
// state change after a terminal state. Replies still count after a
// terminal state, because late replies are stored too. Data fields of
// the wrong type are treated as missing and never make it throw.
bool apply_event(nlohmann::json& status, const event& e);

// The reply record of a reply_received event, as served in reply pages:
// {"sender","statuscode","statusmsg","data","received_at"}.
nlohmann::json make_reply(const event& e);

// The expected node names of a request_published event; names that are
// not strings are skipped.
std::vector<std::string> expected_nodes_of(const event& e);

// Formats Unix milliseconds as ISO-8601 UTC with milliseconds, for example
// 2026-12-04T15:00:00.123Z.
std::string format_utc_timestamp(std::int64_t unix_ms);

// Parses an RFC 3339 date-time, such as 2026-12-04T15:00:00.123Z or
// 2026-12-04T16:00:00+01:00, into Unix milliseconds. Digits of a fraction
// past milliseconds are dropped. Returns nullopt for any other text.
std::optional<std::int64_t> parse_utc_timestamp(std::string_view text);

}  // namespace gateway::storage

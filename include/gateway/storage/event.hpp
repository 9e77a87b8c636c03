// Events of the gateway's event log and their versioned JSON encoding.
// The log is the source of truth: every read model is derived from these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gateway::storage {

enum class event_kind {
  request_accepted,
  request_denied,
  discovery_completed,
  request_published,
  reply_received,
  request_completed,
  request_expired,
  request_failed,
  login_succeeded,
  login_failed,
  token_revoked,
};

// The snake_case name of kind, as written in the encoding.
std::string_view to_string(event_kind kind);

// Parses a name written by to_string; nullopt for any other text.
std::optional<event_kind> event_kind_from_string(std::string_view name);

// True for the kinds that update the request status read model. These need
// a request id; the others may leave it empty.
bool updates_request_status(event_kind kind);

// One entry of the log. The sequence is 0 until event_store::append assigns
// one. time_ms is Unix time in milliseconds; caller is the Choria callerid
// or user name that caused the event. The layout of data per kind is
// described in request_status.hpp.
struct event {
  std::uint64_t sequence = 0;
  event_kind kind = event_kind::request_accepted;
  std::int64_t time_ms = 0;
  std::string request_id;
  std::string caller;
  nlohmann::json data = nlohmann::json::object();
};

// The encoding version that encode_event writes and decode_event reads.
inline constexpr int event_encoding_version = 1;

// Encodes e as
// {"v":1,"seq":..,"kind":"..","time_ms":..,"request_id":..,"caller":..,
//  "data":{..}}. Invalid UTF-8 in strings is replaced by U+FFFD instead of
// making the JSON serializer throw.
std::string encode_event(const event& e);

// Decodes text written by encode_event. Unknown fields are ignored. Returns
// nullopt and sets *error (when error is not null) if the text is not JSON,
// the version is not event_encoding_version, the kind is unknown or a field
// has the wrong type.
std::optional<event> decode_event(std::string_view text, std::string* error);

}  // namespace gateway::storage

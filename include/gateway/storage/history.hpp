// Queries over the event store's time-ordered indexes: the request history
// and the audit trail. Both list newest first and page with an opaque
// cursor that is bound to the query it was issued for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gateway::storage {

// Filters of GET /v1/requests. Empty strings and nullopt match everything.
// since_ms and until_ms bound the creation time, both inclusive, in Unix
// milliseconds.
struct history_query {
  std::string agent;
  std::string action;
  std::string caller;
  std::string state;
  std::optional<std::int64_t> since_ms;
  std::optional<std::int64_t> until_ms;
  std::size_t limit = 100;
  std::string cursor;  // empty for the first page
};

// One page of the history: status records without their no_response
// list, newest first. next_cursor is empty when nothing follows.
struct history_page {
  std::vector<nlohmann::json> requests;
  std::string next_cursor;
};

// Kinds of the audit trail and the events they come from.
//   login         login_succeeded
//   login_failed  login_failed
//   denied        request_denied
//   submitted     request_accepted without replay_of
//   replayed      request_accepted with replay_of
//   logout        token_revoked
inline constexpr const char* audit_kinds[] = {
    "login", "login_failed", "denied", "submitted", "replayed", "logout"};

// True if kind is one of audit_kinds.
bool is_audit_kind(std::string_view kind);

// Filters of GET /v1/audit, as in history_query.
struct audit_query {
  std::string caller;
  std::string kind;
  std::optional<std::int64_t> since_ms;
  std::optional<std::int64_t> until_ms;
  std::size_t limit = 100;
  std::string cursor;
};

// One page of audit records {"sequence","kind","time","caller",
// "request_id","details"}, newest first.
struct audit_page {
  std::vector<nlohmann::json> entries;
  std::string next_cursor;
};

// The outcome of one retention step.
struct retention_step {
  std::size_t removed_requests = 0;
  std::size_t removed_keys = 0;
  // True when the step stopped at its key budget and more may be due.
  bool more = false;
};

// Which requests retention removes: finished requests created before
// cutoff_ms, and the oldest finished ones while more than max_requests
// remain. nullopt disables that rule.
struct retention_rule {
  std::optional<std::int64_t> cutoff_ms;
  std::optional<std::uint64_t> max_requests;
};

}  // namespace gateway::storage

// Text output of requests and replies in the layout of `mco rpc`: one
// block per node with failures highlighted, the silent nodes, then a
// summary line.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gateway::client {

// Writes one reply record ({"sender","statuscode","statusmsg","data"}) as
// a block: the sender, with the status message beside it when statuscode
// is not 0 (in red with colour), then one "key: value" line per data
// field, and a blank line.
void print_reply(std::ostream& out, const nlohmann::json& reply, bool colour);

// Writes the "No response from:" block for a status record's no_response
// list; writes nothing when it is empty.
void print_no_response(std::ostream& out, const nlohmann::json& status,
                       bool colour);

// Writes the summary line of a finished request's status record, such as
// "Finished processing 48 / 50 hosts in 2.01 s: 47 ok, 1 failed,
// 2 silent", or why the request failed.
void print_summary(std::ostream& out, const nlohmann::json& status,
                   bool colour);

// The exit status for a status record: exit_success when every expected
// node replied OK, exit_partial when the request ended with failed or
// silent nodes or found no node, exit_error when its state is failed.
[[nodiscard]] int outcome_exit_status(const nlohmann::json& status);

// Parses ISO-8601 UTC text with optional fractional seconds, such as
// 2026-12-04T15:00:00.123Z, into Unix milliseconds.
[[nodiscard]] std::optional<std::int64_t> parse_utc_ms(std::string_view text);

// Seconds from created_at to completed_at of a status record, when both
// are set.
[[nodiscard]] std::optional<double> elapsed_seconds(
    const nlohmann::json& status);

// True for the states that never change again: complete, expired, failed.
[[nodiscard]] bool is_finished_state(std::string_view state);

// The integer field name of object, or 0 when it is missing or not one.
[[nodiscard]] std::int64_t count_field(const nlohmann::json& object,
                                       const char* name);

// The string field name of object, or "" when it is missing or not one.
[[nodiscard]] std::string text_field(const nlohmann::json& object,
                                     const char* name);

}  // namespace gateway::client

// The write side of the "index" column family: the entries that one event
// or one state change adds to the append's WriteBatch. Internal to
// src/storage; index_keys.hpp describes the layouts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <rocksdb/write_batch.h>

#include "gateway/storage/event.hpp"
#include "src/storage/column_families.hpp"
#include "src/storage/index_keys.hpp"

namespace gateway::storage::detail {

// Adds the entries of e that do not depend on a status change: the
// request's event list, and the audit record for logins, denials and
// logouts. Returns an error text if RocksDB rejects an entry.
[[nodiscard]] std::optional<std::string> add_event_entries(
    rocksdb::WriteBatch& batch, const column_families& cf, const event& e);

// Adds the entries of a request that e, its request_accepted event,
// created with record status: history in every dimension but state
// (add_statuses adds that one with the state at the end of the batch), the
// audit
// record of the submission and the idempotency key from e.data
// ("idempotency_key" and "request_hash") when there is one.
[[nodiscard]] std::optional<std::string> add_request_entries(
    rocksdb::WriteBatch& batch, const column_families& cf, const event& e,
    const nlohmann::json& status);

// Moves a request's entry in the state dimension from old_state to the
// state of status; an empty old_state only adds the new entry.
[[nodiscard]] std::optional<std::string> move_state_entry(
    rocksdb::WriteBatch& batch, const column_families& cf,
    const nlohmann::json& status, std::string_view old_state);

// The position of a status record in the history: its creation time and
// accepted sequence. nullopt if the record lacks them.
std::optional<index_keys::order> history_order(const nlohmann::json& status);

// The value stored with each history entry of status.
nlohmann::json history_value(const nlohmann::json& status);

// The audit record of e, or null for kinds outside the audit trail.
nlohmann::json audit_record(const event& e);

// The history keys of a request with this record, with or without the
// one in the state dimension.
std::vector<std::string> history_keys(const nlohmann::json& status,
                                      bool with_state);

// Every audit key of an audit record.
std::vector<std::string> audit_keys(const nlohmann::json& record);

// The text that nlohmann::json writes for value, replacing invalid UTF-8.
std::string dump(const nlohmann::json& value);

}  // namespace gateway::storage::detail

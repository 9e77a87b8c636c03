// History and audit pages: a bounded scan of one index prefix, read from
// one snapshot so that an index entry and its status record agree.
#include <exception>
#include <utility>

#include <rocksdb/db.h>

#include "gateway/storage/event_store.hpp"
#include "src/storage/column_families.hpp"
#include "src/storage/index_scan.hpp"
#include "src/storage/keys.hpp"

namespace gateway::storage {
namespace {

using json = nlohmann::json;

void set_error(std::string* error, std::string text) {
  if (error != nullptr) *error = std::move(text);
}

// Releases a snapshot when the read ends.
class snapshot_guard {
 public:
  explicit snapshot_guard(rocksdb::DB& db)
      : db_(db), snapshot_(db.GetSnapshot()) {}
  ~snapshot_guard() { db_.ReleaseSnapshot(snapshot_); }
  snapshot_guard(const snapshot_guard&) = delete;
  snapshot_guard& operator=(const snapshot_guard&) = delete;

  rocksdb::ReadOptions options() const {
    rocksdb::ReadOptions read_options;
    read_options.snapshot = snapshot_;
    return read_options;
  }

 private:
  rocksdb::DB& db_;
  const rocksdb::Snapshot* snapshot_;
};

std::string bound_text(const std::optional<std::int64_t>& bound) {
  return bound ? std::to_string(*bound) : "-";
}

// The text a history cursor is bound to: every filter, none of the limit.
std::string query_text(const history_query& query) {
  return "history\n" + query.agent + "\n" + query.action + "\n" + query.caller +
         "\n" + query.state + "\n" + bound_text(query.since_ms) + "\n" +
         bound_text(query.until_ms);
}

std::string query_text(const audit_query& query) {
  return "audit\n" + query.caller + "\n" + query.kind + "\n" +
         bound_text(query.since_ms) + "\n" + bound_text(query.until_ms);
}

// The index prefix of the most selective filter given.
std::string history_prefix_for(const history_query& query) {
  if (!query.state.empty())
    return index_keys::history_prefix("state", query.state);
  if (!query.caller.empty())
    return index_keys::history_prefix("caller", query.caller);
  if (!query.action.empty())
    return index_keys::history_prefix("action", query.action);
  if (!query.agent.empty())
    return index_keys::history_prefix("agent", query.agent);
  return index_keys::history_prefix("all", "");
}

std::string audit_prefix_for(const audit_query& query) {
  if (!query.caller.empty())
    return index_keys::audit_prefix("caller", query.caller);
  if (!query.kind.empty()) return index_keys::audit_prefix("kind", query.kind);
  return index_keys::audit_prefix("all", "");
}

// True if value's field key is wanted, or no value is wanted.
bool field_matches(const json& value, const char* key,
                   const std::string& wanted) {
  if (wanted.empty()) return true;
  auto found = value.find(key);
  return found != value.end() && found->is_string() &&
         found->get_ref<const std::string&>() == wanted;
}

// Reads the optional cursor into scan.after; false for an invalid one.
bool read_cursor(const std::string& text, const std::string& cursor,
                 detail::index_scan& scan) {
  if (cursor.empty()) return true;
  scan.after = index_keys::decode_cursor(text, cursor);
  return scan.after.has_value();
}

std::string next_cursor(const std::string& text,
                        const detail::index_scan_result& result) {
  if (!result.more || !result.last) return "";
  return index_keys::encode_cursor(text, *result.last);
}

}  // namespace

bool is_audit_kind(std::string_view kind) {
  for (const char* name : audit_kinds)
    if (kind == name) return true;
  return false;
}

std::optional<history_page> event_store::history(const history_query& query,
                                                 std::string* error) const {
  std::string text = query_text(query);
  detail::index_scan scan{history_prefix_for(query), query.since_ms,
                          query.until_ms, std::nullopt, query.limit};
  if (!read_cursor(text, query.cursor, scan)) {
    set_error(error, "invalid cursor");
    return std::nullopt;
  }
  if (query.limit == 0) {
    set_error(error, "invalid limit");
    return std::nullopt;
  }

  try {
    snapshot_guard snapshot(*db_);
    auto read_options = snapshot.options();
    std::vector<std::string> ids;
    auto take = [&](std::string_view value_text) {
      json value = json::parse(value_text, nullptr, false);
      if (value.is_discarded() || !field_matches(value, "agent", query.agent) ||
          !field_matches(value, "action", query.action) ||
          !field_matches(value, "caller", query.caller) ||
          !value.contains("request_id") || !value["request_id"].is_string())
        return false;
      ids.push_back(value["request_id"].get<std::string>());
      return true;
    };
    std::string failure;
    auto result = detail::scan_index(*db_, families_->index, read_options, scan,
                                     take, &failure);
    if (!result) {
      set_error(error, failure);
      return std::nullopt;
    }

    history_page page;
    page.requests = summaries_of(ids, read_options, &failure);
    if (!failure.empty()) {
      set_error(error, failure);
      return std::nullopt;
    }
    page.next_cursor = next_cursor(text, *result);
    return page;
  } catch (const std::exception& e) {
    set_error(error, std::string("reading the history failed: ") + e.what());
    return std::nullopt;
  }
}

std::optional<audit_page> event_store::audit(const audit_query& query,
                                             std::string* error) const {
  std::string text = query_text(query);
  detail::index_scan scan{audit_prefix_for(query), query.since_ms,
                          query.until_ms, std::nullopt, query.limit};
  if (!read_cursor(text, query.cursor, scan)) {
    set_error(error, "invalid cursor");
    return std::nullopt;
  }
  if (query.limit == 0) {
    set_error(error, "invalid limit");
    return std::nullopt;
  }

  try {
    audit_page page;
    auto take = [&](std::string_view value_text) {
      json record = json::parse(value_text, nullptr, false);
      if (record.is_discarded() || !record.is_object() ||
          !field_matches(record, "caller", query.caller) ||
          !field_matches(record, "kind", query.kind))
        return false;
      record.erase("time_ms");
      page.entries.push_back(std::move(record));
      return true;
    };
    std::string failure;
    auto result = detail::scan_index(
        *db_, families_->index, rocksdb::ReadOptions(), scan, take, &failure);
    if (!result) {
      set_error(error, failure);
      return std::nullopt;
    }
    page.next_cursor = next_cursor(text, *result);
    return page;
  } catch (const std::exception& e) {
    set_error(error,
              std::string("reading the audit trail failed: ") + e.what());
    return std::nullopt;
  }
}

std::vector<json> event_store::summaries_of(
    const std::vector<std::string>& request_ids,
    const rocksdb::ReadOptions& options, std::string* error) const {
  // One MultiGet: RocksDB looks the keys up together, block by block,
  // instead of walking the tree once per key.
  std::vector<rocksdb::Slice> keys(request_ids.begin(), request_ids.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> reads(keys.size());
  db_->MultiGet(options, families_->requests, keys.size(), keys.data(),
                values.data(), reads.data());
  std::vector<json> summaries;
  summaries.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (reads[i].IsNotFound()) continue;
    if (!reads[i].ok()) {
      set_error(error, "reading the status of " + request_ids[i] +
                           " failed: " + reads[i].ToString());
      return {};
    }
    json status = json::parse(
        values[i].data(), values[i].data() + values[i].size(), nullptr, false);
    if (status.is_discarded() || !status.is_object()) {
      set_error(error,
                "the stored status of " + request_ids[i] + " is not JSON");
      return {};
    }
    status.erase("no_response");
    summaries.push_back(std::move(status));
  }
  return summaries;
}

std::optional<std::pair<std::string, std::string>>
event_store::idempotent_request(std::string_view user, std::string_view key,
                                std::string* error) const {
  try {
    std::string value;
    rocksdb::Status read =
        db_->Get(rocksdb::ReadOptions(), families_->index,
                 index_keys::idempotency_key(user, key), &value);
    if (read.IsNotFound()) return std::nullopt;
    if (!read.ok()) {
      set_error(error, "reading an idempotency key failed: " + read.ToString());
      return std::nullopt;
    }
    json entry = json::parse(value, nullptr, false);
    if (entry.is_discarded() || !entry.is_object()) {
      set_error(error, "a stored idempotency key is not JSON");
      return std::nullopt;
    }
    return std::make_pair(entry.value("request_id", ""),
                          entry.value("hash", ""));
  } catch (const std::exception& e) {
    set_error(error,
              std::string("reading an idempotency key failed: ") + e.what());
    return std::nullopt;
  }
}

}  // namespace gateway::storage

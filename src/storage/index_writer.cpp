#include "src/storage/index_writer.hpp"

#include "gateway/storage/request_status.hpp"

namespace gateway::storage::detail {
namespace {

using json = nlohmann::json;

std::optional<std::string> check(const rocksdb::Status& status,
                                 std::string_view step) {
  if (status.ok()) return std::nullopt;
  return std::string(step) + " failed: " + status.ToString();
}

std::string text_of(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// The audit kind of e, or an empty view for kinds outside the trail.
std::string_view audit_kind_of(const event& e) {
  switch (e.kind) {
    case event_kind::login_succeeded: return "login";
    case event_kind::login_failed: return "login_failed";
    case event_kind::request_denied: return "denied";
    case event_kind::token_revoked: return "logout";
    case event_kind::request_accepted:
      return e.data.contains("replay_of") ? "replayed" : "submitted";
    default: return "";
  }
}

// The audit details of e: the event data without the request's inputs,
// which may be large and are served by the request itself.
json audit_details(const event& e) {
  if (e.kind != event_kind::request_accepted) return e.data;
  json details = json::object();
  for (const char* key :
       {"agent", "action", "collective", "replay_of", "targets"}) {
    auto it = e.data.find(key);
    if (it != e.data.end()) details[key] = *it;
  }
  return details;
}

std::optional<std::string> put_all(rocksdb::WriteBatch& batch,
                                   rocksdb::ColumnFamilyHandle* family,
                                   const std::vector<std::string>& keys,
                                   const std::string& value,
                                   std::string_view step) {
  for (const auto& key : keys)
    if (auto error = check(batch.Put(family, key, value), step)) return error;
  return std::nullopt;
}

}  // namespace

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<index_keys::order> history_order(const json& status) {
  auto created = status.find("created_at");
  auto sequence = status.find("accepted_sequence");
  if (created == status.end() || !created->is_string() ||
      sequence == status.end() || !sequence->is_number_unsigned())
    return std::nullopt;
  auto time = parse_utc_timestamp(created->get_ref<const std::string&>());
  if (!time) return std::nullopt;
  return index_keys::order{*time, sequence->get<std::uint64_t>()};
}

json history_value(const json& status) {
  return {{"request_id", text_of(status, "request_id")},
          {"agent", text_of(status, "agent")},
          {"action", text_of(status, "action")},
          {"caller", text_of(status, "caller")}};
}

std::vector<std::string> history_keys(const json& status, bool with_state) {
  auto position = history_order(status);
  if (!position) return {};
  std::string order = index_keys::encode_order(*position);
  std::vector<std::string> keys = {
          index_keys::history_prefix("all", "") + order,
          index_keys::history_prefix("agent", text_of(status, "agent")) + order,
          index_keys::history_prefix("action", text_of(status, "action")) +
              order,
          index_keys::history_prefix("caller", text_of(status, "caller")) +
              order};
  if (with_state)
    keys.push_back(
        index_keys::history_prefix("state", text_of(status, "state")) + order);
  return keys;
}

json audit_record(const event& e) {
  auto kind = audit_kind_of(e);
  if (kind.empty()) return nullptr;
  return {{"sequence", e.sequence},
          {"kind", kind},
          {"time", format_utc_timestamp(e.time_ms)},
          {"time_ms", e.time_ms},
          {"caller", e.caller},
          {"request_id", e.request_id.empty() ? json(nullptr)
                                              : json(e.request_id)},
          {"details", audit_details(e)}};
}

std::vector<std::string> audit_keys(const json& record) {
  auto time = record.find("time_ms");
  auto sequence = record.find("sequence");
  if (time == record.end() || !time->is_number_integer() ||
      sequence == record.end() || !sequence->is_number_unsigned())
    return {};
  std::string order = index_keys::encode_order(
      {time->get<std::int64_t>(), sequence->get<std::uint64_t>()});
  return {index_keys::audit_prefix("all", "") + order,
          index_keys::audit_prefix("caller", text_of(record, "caller")) +
              order,
          index_keys::audit_prefix("kind", text_of(record, "kind")) + order};
}

std::optional<std::string> add_event_entries(rocksdb::WriteBatch& batch,
                                             const column_families& cf,
                                             const event& e) {
  if (updates_request_status(e.kind)) {
    auto error = check(
        batch.Put(cf.index,
                  index_keys::request_event_key(e.request_id, e.sequence), ""),
        "adding to the request's event list");
    if (error) return error;
  }
  if (e.kind == event_kind::request_accepted) return std::nullopt;

  json record = audit_record(e);
  if (record.is_null()) return std::nullopt;
  return put_all(batch, cf.index, audit_keys(record), dump(record),
                 "adding an audit record");
}

std::optional<std::string> add_request_entries(rocksdb::WriteBatch& batch,
                                               const column_families& cf,
                                               const event& e,
                                               const json& status) {
  auto error = put_all(batch, cf.index, history_keys(status, false),
                       dump(history_value(status)), "adding to the history");
  if (error) return error;

  json record = audit_record(e);
  error = put_all(batch, cf.index, audit_keys(record), dump(record),
                  "adding an audit record");
  if (error) return error;

  std::string key = text_of(e.data, "idempotency_key");
  if (key.empty()) return std::nullopt;
  json entry = {{"request_id", e.request_id},
                {"hash", text_of(e.data, "request_hash")}};
  return check(batch.Put(cf.index, index_keys::idempotency_key(e.caller, key),
                         dump(entry)),
               "adding an idempotency key");
}

std::optional<std::string> move_state_entry(rocksdb::WriteBatch& batch,
                                            const column_families& cf,
                                            const json& status,
                                            std::string_view old_state) {
  auto position = history_order(status);
  if (!position) return std::nullopt;
  std::string order = index_keys::encode_order(*position);
  if (!old_state.empty()) {
    auto error = check(
        batch.Delete(cf.index,
                     index_keys::history_prefix("state", old_state) + order),
        "removing a history state entry");
    if (error) return error;
  }
  return check(
      batch.Put(cf.index,
                index_keys::history_prefix("state", text_of(status, "state")) +
                    order,
                dump(history_value(status))),
      "adding a history state entry");
}

}  // namespace gateway::storage::detail

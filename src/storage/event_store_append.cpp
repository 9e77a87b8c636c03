// The write path of the event store: one WriteBatch per append with the
// events and every read-model update they imply.
#include <exception>
#include <utility>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "gateway/storage/event_store.hpp"
#include "gateway/storage/request_status.hpp"
#include "src/storage/column_families.hpp"
#include "src/storage/keys.hpp"

namespace gateway::storage {

// A status record touched by the batch being built. changed marks the ones
// to write, and was_unfinished tells whether the unfinished index lists
// the request before this batch.
struct detail::pending_status {
  nlohmann::json status;
  bool changed = false;
  bool was_unfinished = false;
};

namespace {

using json = nlohmann::json;

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::string> check(const rocksdb::Status& status,
                                 std::string_view step) {
  if (status.ok()) return std::nullopt;
  return std::string(step) + " failed: " + status.ToString();
}

std::optional<std::string> validate(const std::vector<event>& events) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    const event& e = events[i];
    if (updates_request_status(e.kind) &&
        !keys::is_valid_request_id(e.request_id)) {
      return "event " + std::to_string(i) + " (" +
             std::string(to_string(e.kind)) + ") has an invalid request id \"" +
             e.request_id + "\": it must be non-empty without '/' or '\\0'";
    }
  }
  return std::nullopt;
}

void clear_sequences(std::vector<event>& events) {
  for (event& e : events) e.sequence = 0;
}

// Adds the index entries of e that are not part of the status record.
std::optional<std::string> add_indexes(rocksdb::WriteBatch& batch,
                                       const detail::column_families& cf,
                                       const event& e, bool status_changed) {
  if (e.kind == event_kind::reply_received) {
    return check(
        batch.Put(cf.replies, keys::reply_key(e.request_id, e.sequence),
                  dump(make_reply(e))),
        "adding a reply");
  }
  if (e.kind == event_kind::token_revoked) {
    return check(batch.Put(cf.meta, keys::revoked_key(e.sequence),
                           encode_event(e)),
                 "adding to the revocation index");
  }
  if (e.kind == event_kind::request_published && status_changed) {
    json names = expected_nodes_of(e);
    return check(batch.Put(cf.requests, keys::expected_nodes_key(e.request_id),
                           dump(names)),
                 "adding the expected nodes");
  }
  return std::nullopt;
}

// Adds each changed status record and its entry in the unfinished index.
std::optional<std::string> add_statuses(
    rocksdb::WriteBatch& batch, const detail::column_families& cf,
    const std::unordered_map<std::string, detail::pending_status>& pending) {
  for (const auto& [request_id, entry] : pending) {
    if (!entry.changed) continue;
    auto error = check(batch.Put(cf.requests, request_id, dump(entry.status)),
                       "adding a request status");
    if (error) return error;

    bool unfinished = is_unfinished(entry.status);
    if (unfinished == entry.was_unfinished) continue;
    std::string index_key = keys::unfinished_key(request_id);
    error = unfinished ? check(batch.Put(cf.meta, index_key, ""),
                               "adding to the unfinished index")
                       : check(batch.Delete(cf.meta, index_key),
                               "removing from the unfinished index");
    if (error) return error;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> event_store::append(std::vector<event>& events) {
  if (events.empty()) return std::nullopt;
  if (auto invalid = validate(events)) return invalid;
  try {
    auto error = write_batch(events);
    if (error) clear_sequences(events);
    return error;
  } catch (const std::exception& e) {
    clear_sequences(events);
    return std::string("appending events failed: ") + e.what();
  }
}

std::optional<std::string> event_store::write_batch(
    std::vector<event>& events) {
  rocksdb::WriteBatch batch;
  pending_statuses pending;
  std::uint64_t sequence = last_sequence_.load();

  for (event& e : events) {
    e.sequence = ++sequence;
    auto error =
        check(batch.Put(families_->events, keys::sequence_key(e.sequence),
                        encode_event(e)),
              "adding an event");
    if (error) return error;
    if (!updates_request_status(e.kind)) {
      if (auto failure = add_indexes(batch, *families_, e, false))
        return failure;
      continue;
    }

    auto [entry, inserted] = pending.try_emplace(e.request_id);
    if (inserted) {
      if (auto failure = load_status(e.request_id, entry->second.status))
        return failure;
      entry->second.was_unfinished = is_unfinished(entry->second.status);
    }
    bool changed = apply_event(entry->second.status, e);
    entry->second.changed |= changed;
    if (auto failure = add_indexes(batch, *families_, e, changed))
      return failure;
  }
  if (auto error = add_statuses(batch, *families_, pending)) return error;

  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync;
  if (auto error =
          check(db_->Write(write_options, &batch), "writing the event batch"))
    return error;
  last_sequence_.store(sequence);
  remember_statuses(pending);
  return std::nullopt;
}

std::optional<std::string> event_store::load_status(
    const std::string& request_id, json& status) const {
  if (auto cached = status_cache_.find(request_id);
      cached != status_cache_.end()) {
    status = cached->second;
    return std::nullopt;
  }

  std::string value;
  rocksdb::Status read =
      db_->Get(rocksdb::ReadOptions(), families_->requests, request_id, &value);
  if (read.IsNotFound()) {
    status = nullptr;
    return std::nullopt;
  }
  if (auto error = check(read, "reading the status of " + request_id))
    return error;
  status = json::parse(value, nullptr, false);
  if (status.is_discarded() || !status.is_object())
    return "the stored status of request " + request_id + " is not JSON";
  return std::nullopt;
}

void event_store::remember_statuses(const pending_statuses& pending) {
  for (const auto& [request_id, entry] : pending) {
    if (!is_unfinished(entry.status)) {
      status_cache_.erase(request_id);
      continue;
    }
    if (status_cache_.size() >= options_.status_cache_size &&
        !status_cache_.contains(request_id)) {
      if (status_cache_.empty()) continue;  // The cache size is 0.
      status_cache_.erase(status_cache_.begin());
    }
    status_cache_[request_id] = entry.status;
  }
}

}  // namespace gateway::storage

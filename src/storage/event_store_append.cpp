// The write path of the event store: one WriteBatch per append with the
// events and every read-model update they imply.
#include <exception>
#include <utility>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "gateway/common/encoding.hpp"
#include "gateway/storage/event_store.hpp"
#include "gateway/storage/request_status.hpp"
#include "src/storage/column_families.hpp"
#include "src/storage/index_writer.hpp"
#include "src/storage/keys.hpp"
#include "src/storage/pending_status.hpp"

namespace gateway::storage {

namespace {

using json = nlohmann::json;
using detail::dump;

std::string state_of(const json& status) {
  if (!status.is_object()) return "";
  auto state = status.find("state");
  if (state == status.end() || !state->is_string()) return "";
  return state->get<std::string>();
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
// status is the request's record after e.
std::optional<std::string> add_indexes(rocksdb::WriteBatch& batch,
                                       const detail::column_families& cf,
                                       const event& e, const json& status,
                                       bool status_changed) {
  if (auto error = detail::add_event_entries(batch, cf, e)) return error;
  if (e.kind == event_kind::request_accepted && status_changed)
    return detail::add_request_entries(batch, cf, e, status);
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
    if (state_of(entry.status) != entry.old_state)
      error = detail::move_state_entry(batch, cf, entry.status,
                                       entry.old_state);
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
  std::lock_guard<std::mutex> lock(write_mutex_);
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
  std::uint64_t sequence = last_sequence_.load();
  for (event& e : events) {
    e.sequence = ++sequence;
    auto error =
        check(batch.Put(families_->events, keys::sequence_key(e.sequence),
                        encode_event(e)),
              "adding an event");
    if (error) return error;
  }
  std::uint64_t count = request_count_.load();
  pending_statuses pending;
  if (auto error = add_read_models(batch, events, pending)) {
    request_count_.store(count);
    return error;
  }

  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync;
  if (auto error =
          check(db_->Write(write_options, &batch), "writing the event batch")) {
    request_count_.store(count);
    return error;
  }
  last_sequence_.store(sequence);
  remember_statuses(pending);
  return std::nullopt;
}

std::optional<std::string> event_store::add_read_models(
    rocksdb::WriteBatch& batch, const std::vector<event>& events,
    pending_statuses& pending) {
  std::uint64_t new_requests = 0;
  for (const event& e : events) {
    if (!updates_request_status(e.kind)) {
      if (auto error = detail::add_event_entries(batch, *families_, e))
        return error;
      if (e.kind == event_kind::token_revoked) {
        auto error = check(batch.Put(families_->meta,
                                     keys::revoked_key(e.sequence),
                                     encode_event(e)),
                           "adding to the revocation index");
        if (error) return error;
      }
      continue;
    }

    auto [entry, inserted] = pending.try_emplace(e.request_id);
    if (inserted) {
      if (auto failure = load_status(e.request_id, entry->second.status))
        return failure;
      entry->second.was_unfinished = is_unfinished(entry->second.status);
      entry->second.old_state = state_of(entry->second.status);
    }
    bool changed = apply_event(entry->second.status, e);
    entry->second.changed |= changed;
    if (changed && e.kind == event_kind::request_accepted) ++new_requests;
    if (auto failure = add_indexes(batch, *families_, e, entry->second.status,
                                   changed))
      return failure;
  }
  if (auto error = add_statuses(batch, *families_, pending)) return error;

  // The count in memory runs ahead of the database until the batch is
  // written; write_batch restores it when the write fails.
  if (new_requests > 0) {
    std::string count;
    append_big_endian(count, request_count_ += new_requests);
    auto error = check(batch.Put(families_->index,
                                 rocksdb::Slice(index_keys::request_count_key.data(),
                                                index_keys::request_count_key.size()),
                                 count),
                       "writing the request count");
    if (error) return error;
  }
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

// Retention and rebuilding: the two writers besides append. Both hold the
// write mutex for one batch at a time, so appends wait for one batch at
// most.
#include <chrono>
#include <exception>
#include <memory>
#include <thread>
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

std::optional<std::string> check(const rocksdb::Status& status,
                                 std::string_view step) {
  if (status.ok()) return std::nullopt;
  return std::string(step) + " failed: " + status.ToString();
}

// Deletes one finished request: its status, expected nodes, replies,
// events, history, audit record of its acceptance and idempotency key.
// Returns the number of keys and ranges deleted.
std::optional<std::string> delete_request(rocksdb::DB& db,
                                          const detail::column_families& cf,
                                          rocksdb::WriteBatch& batch,
                                          const std::string& request_id,
                                          const json& status,
                                          const std::optional<event>& accepted,
                                          std::size_t& deleted) {
  std::vector<std::pair<rocksdb::ColumnFamilyHandle*, std::string>> keys = {
      {cf.requests, request_id},
      {cf.requests, keys::expected_nodes_key(request_id)}};
  for (auto& key : detail::history_keys(status, true))
    keys.emplace_back(cf.index, std::move(key));
  if (accepted) {
    for (auto& key : detail::audit_keys(detail::audit_record(*accepted)))
      keys.emplace_back(cf.index, std::move(key));
    auto idempotency = accepted->data.find("idempotency_key");
    if (idempotency != accepted->data.end() && idempotency->is_string())
      keys.emplace_back(cf.index,
                        index_keys::idempotency_key(
                            accepted->caller, idempotency->get<std::string>()));
  }

  // Every event of the request, from its event list.
  std::string prefix = index_keys::request_events_prefix(request_id);
  std::string end = index_keys::prefix_upper_bound(prefix);
  rocksdb::Slice upper_bound(end);
  rocksdb::ReadOptions read_options;
  read_options.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(read_options, cf.index));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    auto sequence =
        read_big_endian(it->key().ToStringView().substr(prefix.size()));
    if (sequence) keys.emplace_back(cf.events, keys::sequence_key(*sequence));
  }
  if (!it->status().ok())
    return "reading the events of " + request_id +
           " failed: " + it->status().ToString();

  for (const auto& [family, key] : keys)
    if (auto error = check(batch.Delete(family, key), "deleting a key"))
      return error;
  auto error = check(batch.DeleteRange(cf.index, prefix, end),
                     "deleting the event list");
  if (!error)
    error = check(batch.DeleteRange(cf.replies, keys::reply_prefix(request_id),
                                    keys::reply_upper_bound(request_id)),
                  "deleting the replies");
  deleted += keys.size() + 2;
  return error;
}

// Deletes every key of family.
std::optional<std::string> clear_family(rocksdb::DB& db,
                                        rocksdb::ColumnFamilyHandle* family,
                                        rocksdb::WriteBatch& batch) {
  std::unique_ptr<rocksdb::Iterator> it(
      db.NewIterator(rocksdb::ReadOptions(), family));
  it->SeekToFirst();
  if (!it->Valid()) return check(it->status(), "reading a column family");
  std::string first = it->key().ToString();
  it->SeekToLast();
  if (!it->Valid()) return check(it->status(), "reading a column family");
  std::string end = it->key().ToString() + '\0';
  return check(batch.DeleteRange(family, first, end),
               "deleting a column family");
}

}  // namespace

std::optional<std::string> event_store::remove_old_requests(
    const retention_rule& rule, std::size_t max_keys, retention_step& step) {
  step = retention_step{};
  if (!rule.cutoff_ms && !rule.max_requests) return std::nullopt;
  std::lock_guard<std::mutex> lock(write_mutex_);
  try {
    std::string prefix = index_keys::history_prefix("all", "");
    std::string end = index_keys::prefix_upper_bound(prefix);
    rocksdb::Slice lower_bound(prefix);
    rocksdb::Slice upper_bound(end);
    rocksdb::ReadOptions read_options;
    read_options.iterate_lower_bound = &lower_bound;
    read_options.iterate_upper_bound = &upper_bound;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(read_options, families_->index));

    // The history lists the newest first, so walk it backwards.
    rocksdb::WriteBatch batch;
    std::uint64_t count = request_count_.load();
    for (it->SeekToLast(); it->Valid(); it->Prev()) {
      auto position = index_keys::decode_order(it->key().ToStringView());
      bool too_old =
          rule.cutoff_ms && position && position->time_ms < *rule.cutoff_ms;
      bool too_many = rule.max_requests && count > *rule.max_requests;
      if (!too_old && !too_many) break;
      if (step.removed_keys >= max_keys) {
        step.more = true;
        break;
      }

      json value = json::parse(it->value().ToStringView(), nullptr, false);
      if (value.is_discarded() || !value.contains("request_id")) continue;
      std::string request_id = value["request_id"].get<std::string>();
      auto status = request_status(request_id);
      if (!status || is_unfinished(*status)) continue;

      auto error =
          delete_request(*db_, *families_, batch, request_id, *status,
                         accepted_event(request_id), step.removed_keys);
      if (error) return error;
      ++step.removed_requests;
      if (count > 0) --count;
    }
    if (auto error = check(it->status(), "reading the history")) return error;
    if (step.removed_requests == 0) return std::nullopt;

    std::string count_bytes;
    append_big_endian(count_bytes, count);
    auto error =
        check(batch.Put(families_->index,
                        rocksdb::Slice(index_keys::request_count_key.data(),
                                       index_keys::request_count_key.size()),
                        count_bytes),
              "writing the request count");
    if (error) return error;
    rocksdb::WriteOptions write_options;
    write_options.sync = options_.sync;
    if (auto failure = check(db_->Write(write_options, &batch),
                             "writing the retention batch"))
      return failure;
    request_count_.store(count);
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string("removing old requests failed: ") + e.what();
  }
}

std::optional<std::string> event_store::clear_read_models() {
  rocksdb::WriteBatch batch;
  for (auto* family :
       {families_->requests, families_->replies, families_->index}) {
    if (auto error = clear_family(*db_, family, batch)) return error;
  }
  auto error = check(
      batch.DeleteRange(families_->meta,
                        rocksdb::Slice(keys::unfinished_prefix.data(),
                                       keys::unfinished_prefix.size()),
                        rocksdb::Slice(keys::unfinished_upper_bound.data(),
                                       keys::unfinished_upper_bound.size())),
      "deleting the unfinished index");
  if (error) return error;
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  if (auto failure =
          check(db_->Write(write_options, &batch), "deleting the read models"))
    return failure;
  status_cache_.clear();
  request_count_.store(0);
  return std::nullopt;
}

std::optional<std::string> event_store::rebuild_read_models(
    std::size_t batch_size) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  try {
    if (auto error = clear_read_models()) return error;
    std::uint64_t next = 1;
    while (true) {
      std::string failure;
      auto events = read_events(next, batch_size, &failure);
      if (!failure.empty()) return failure;
      if (events.empty()) break;
      next = events.back().sequence + 1;

      rocksdb::WriteBatch batch;
      pending_statuses pending;
      if (auto error = add_read_models(batch, events, pending)) return error;
      if (auto error = check(db_->Write(rocksdb::WriteOptions(), &batch),
                             "writing rebuilt read models"))
        return error;
    }
    // The batches above skip the WAL sync; flushing the memtables makes
    // them durable.
    rocksdb::FlushOptions flush_options;
    return check(db_->Flush(flush_options, families_->all),
                 "flushing the rebuilt read models");
  } catch (const std::exception& e) {
    return std::string("rebuilding the read models failed: ") + e.what();
  }
}

namespace {

// Returns true while any family has a flush or compaction running or due.
bool background_work_left(rocksdb::DB& db,
                          const detail::column_families& families) {
  std::uint64_t value = 0;
  for (const char* property :
       {"rocksdb.num-running-flushes", "rocksdb.num-running-compactions"})
    if (db.GetIntProperty(property, &value) && value > 0) return true;
  for (auto* family : families.all)
    for (const char* property :
         {"rocksdb.mem-table-flush-pending", "rocksdb.compaction-pending"})
      if (db.GetIntProperty(family, property, &value) && value > 0) return true;
  return false;
}

}  // namespace

std::optional<std::string> event_store::settle(std::chrono::seconds timeout) {
  if (auto error = check(db_->Flush(rocksdb::FlushOptions(), families_->all),
                         "flushing the memtables"))
    return error;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // RocksDB 7.8 has no call that waits for compactions, so poll its
  // counters.
  while (background_work_left(*db_, *families_)) {
    if (std::chrono::steady_clock::now() > deadline)
      return "compactions still running after " +
             std::to_string(timeout.count()) + " s";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return std::nullopt;
}

}  // namespace gateway::storage

// The gateway's event log and its read models in one RocksDB database.
//
// Column families:
//   events    8-byte big-endian sequence -> encode_event text
//   requests  request id -> status record JSON (see request_status.hpp);
//             request id + "/expected" -> JSON array of expected node names
//   replies   request id + '\0' + 8-byte big-endian sequence -> reply JSON
//   meta      "unfinished/" + request id -> empty, one key per request in
//             state discovering or running; "format_version" -> "1", the
//             layout of all of the above; "revoked/" + 8-byte big-endian
//             sequence -> encode_event text of each token_revoked event;
//             "index_version" -> "1", present
//             once the index family below is complete
//   index     history, audit, per-request event lists, idempotency keys
//             and the request count (layouts in src/storage/index_keys.hpp)
// Every append writes its events and all read-model updates in one
// WriteBatch, so the read models never disagree with the log.
//
// Threads: append, remove_old_requests and rebuild_read_models take a
// write mutex, so one of them runs at a time; the event-log actor is the
// only caller of append. Any thread may call the const read functions at
// the same time. No function throws.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/storage/event.hpp"
#include "gateway/storage/history.hpp"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class WriteBatch;
struct ReadOptions;
}  // namespace rocksdb

namespace gateway::storage {

namespace detail {
struct column_families;
struct pending_status;
}  // namespace detail

struct event_store_options {
  // Sync the write-ahead log to disk on every append. With false the WAL
  // write stays in the operating system's page cache, so a crash of the
  // process loses nothing but a power loss may lose the latest appends
  // (RocksDB 7.8 WriteOptions::sync).
  bool sync = true;
  bool create_if_missing = true;
  // Status records of unfinished requests kept in memory, so that an
  // append of a reply need not read the record first.
  std::size_t status_cache_size = 1024;
};

// One page of replies in arrival order. next_cursor is empty on the last
// page and otherwise continues after the last reply of this page.
struct reply_page {
  std::vector<nlohmann::json> replies;
  std::string next_cursor;
};

// A reply record with the sequence of its reply_received event.
struct sequenced_reply {
  std::uint64_t sequence = 0;
  nlohmann::json reply;
};

class event_store {
 public:
  // Opens or creates the database in directory path, with its parent
  // directories when create_if_missing is set, and creates missing column
  // families. Returns nullptr and sets *error (when not null) if
  // RocksDB fails, for example because another process has the database
  // open, or if the database was written in another format version.
  // A database written before the index family existed gets its read
  // models rebuilt from the events here, once.
  static std::unique_ptr<event_store> open(const std::string& path,
                                           const event_store_options& options,
                                           std::string* error);

  ~event_store();
  event_store(const event_store&) = delete;
  event_store& operator=(const event_store&) = delete;

  // Assigns consecutive sequence numbers to events, in order, and writes
  // them with the read-model updates they imply in one batch. Events of one
  // request apply in their order in the vector. Returns an error text if an
  // event is invalid (a request event without a request id, or one that
  // contains '/' or '\0') or RocksDB fails. Then nothing is written, the
  // sequence counter does not advance and every event's sequence is 0.
  // Only the owning thread may call this.
  [[nodiscard]] std::optional<std::string> append(std::vector<event>& events);

  // The status record of request_id. Returns nullopt if there is none
  // (unknown or denied requests), and also sets *error (when not null) if it
  // cannot be read.
  std::optional<nlohmann::json> request_status(
      std::string_view request_id, std::string* error = nullptr) const;

  // Up to limit replies of request_id after cursor (empty for the first
  // page). Seeks the request's key prefix, so every page costs the same.
  // Returns nullopt and sets *error (when not null) to "invalid cursor" for
  // a cursor that this store did not issue for request_id, "invalid limit" for
  // a limit of 0, or the RocksDB error. An unknown request yields an empty
  // page.
  std::optional<reply_page> replies(std::string_view request_id,
                                    std::string_view cursor, std::size_t limit,
                                    std::string* error) const;

  // Up to limit replies of request_id whose sequence is above
  // after_sequence, in sequence order, for live streams that resume from
  // the last sequence a client received. Seeks the request's key prefix.
  // Returns nullopt and sets *error (when not null) if RocksDB fails or a
  // stored reply is not JSON. An unknown request yields an empty list.
  std::optional<std::vector<sequenced_reply>> replies_after(
      std::string_view request_id, std::uint64_t after_sequence,
      std::size_t limit, std::string* error) const;

  // Up to limit events with sequence >= from_sequence, in order. Stops
  // early and sets *error (when not null) at an event that cannot be read
  // or decoded.
  std::vector<event> read_events(std::uint64_t from_sequence, std::size_t limit,
                                 std::string* error = nullptr) const;

  // The request_accepted event of request_id, which contains the full
  // request, or nullopt if there is none.
  std::optional<event> accepted_event(std::string_view request_id) const;

  // Ids of the requests in state discovering or running, in byte order of
  // the id. Reads the "unfinished/" index in meta, not every status. On a
  // read error returns the ids read so far and sets *error (when not null).
  std::vector<std::string> unfinished_requests(
      std::string* error = nullptr) const;

  // Every token_revoked event still in the revocation index, in log order,
  // read without scanning the log. Stops early and sets *error (when not
  // null) at an entry that cannot be read or decoded.
  std::vector<event> revocation_events(std::string* error = nullptr) const;

  // Removes the revocation index entries of these sequences; the events
  // stay in the log. For dropping revocations that no longer matter, such
  // as those of expired tokens. Only the owning thread may call this.
  [[nodiscard]] std::optional<std::string> forget_revocations(
      const std::vector<std::uint64_t>& sequences);

  // The highest sequence written, 0 for an empty log.
  std::uint64_t last_sequence() const { return last_sequence_.load(); }

  // The expected node names of request_id from its request_published
  // event, empty if it was not published. Sets *error (when not null) if
  // they cannot be read.
  std::vector<std::string> expected_nodes(std::string_view request_id,
                                          std::string* error = nullptr) const;

  // One page of the request history, newest first, read from the history
  // index of the most selective filter. Entries that fail the other
  // filters are skipped, but a page examines at most scan_budget index
  // entries, so it may hold fewer than limit requests although more
  // follow; next_cursor is empty only at the end. Returns nullopt and sets
  // *error to "invalid cursor" for a cursor issued for another query,
  // "invalid limit" for a limit of 0, or the RocksDB error.
  std::optional<history_page> history(const history_query& query,
                                      std::string* error) const;

  // One page of the audit trail, newest first, as history pages.
  std::optional<audit_page> audit(const audit_query& query,
                                  std::string* error) const;

  // The request id and request hash stored for an idempotency key of
  // user, or nullopt when the key is unused. Sets *error (when not null)
  // on a read error.
  std::optional<std::pair<std::string, std::string>> idempotent_request(
      std::string_view user, std::string_view key,
      std::string* error = nullptr) const;

  // The number of requests in the store.
  std::uint64_t request_count() const { return request_count_.load(); }

  // Flushes the memtables and waits until RocksDB has no flush or
  // compaction running or pending, or until timeout passes. Meant for tools
  // that bulk-load a store and then measure reads on it.
  // Returns an error text if RocksDB fails or the timeout passes.
  [[nodiscard]] std::optional<std::string> settle(std::chrono::seconds timeout);

  // Removes finished requests that rule selects, oldest first, with their
  // events, replies and index entries, in one batch of at most about
  // max_keys deleted keys. Unfinished requests are skipped. Returns an
  // error text if RocksDB fails; then nothing is removed.
  [[nodiscard]] std::optional<std::string> remove_old_requests(
      const retention_rule& rule, std::size_t max_keys, retention_step& step);

  // Deletes every read model and index and rebuilds them from the events,
  // batch_size events per write. For a stopped gateway: concurrent reads
  // see partial models. Returns an error text on failure.
  [[nodiscard]] std::optional<std::string> rebuild_read_models(
      std::size_t batch_size = 5000);

 private:
  using pending_statuses =
      std::unordered_map<std::string, detail::pending_status>;

  event_store(std::unique_ptr<rocksdb::DB> db,
              std::unique_ptr<detail::column_families> families,
              const event_store_options& options);

  std::optional<std::string> check_format_version();
  std::optional<std::string> load_last_sequence();
  std::optional<std::string> check_index_version();
  std::optional<std::string> load_request_count();
  // Reads the status records of request_ids for a history page, in order
  // and without their no_response lists, which may name thousands of
  // nodes. Ids without a record are left out. Sets error and returns an
  // empty list when a read fails or a record is not JSON.
  std::vector<nlohmann::json> summaries_of(
      const std::vector<std::string>& request_ids,
      const rocksdb::ReadOptions& options, std::string* error) const;
  std::optional<std::string> write_batch(std::vector<event>& events);
  std::optional<std::string> add_read_models(rocksdb::WriteBatch& batch,
                                             const std::vector<event>& events,
                                             pending_statuses& pending);
  std::optional<std::string> clear_read_models();
  std::optional<std::string> load_status(const std::string& request_id,
                                         nlohmann::json& status) const;
  void remember_statuses(const pending_statuses& statuses);

  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<detail::column_families> families_;
  event_store_options options_;
  std::atomic<std::uint64_t> last_sequence_{0};
  std::atomic<std::uint64_t> request_count_{0};
  std::mutex write_mutex_;

  // Written and read by the appending thread only.
  std::unordered_map<std::string, nlohmann::json> status_cache_;
};

}  // namespace gateway::storage

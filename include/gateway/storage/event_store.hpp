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
//             sequence -> encode_event text of each token_revoked event
// Every append writes its events and all read-model updates in one
// WriteBatch, so the read models never disagree with the log.
//
// Threads: one owner (the event-log actor) calls append; any thread may
// call the const read functions at the same time. No function throws.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/storage/event.hpp"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
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

class event_store {
 public:
  // Opens or creates the database in directory path, with its parent
  // directories when create_if_missing is set, and creates missing column
  // families. Returns nullptr and sets *error (when not null) if
  // RocksDB fails, for example because another process has the database
  // open, or if the database was written in another format version.
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

 private:
  using pending_statuses =
      std::unordered_map<std::string, detail::pending_status>;

  event_store(std::unique_ptr<rocksdb::DB> db,
              std::unique_ptr<detail::column_families> families,
              const event_store_options& options);

  std::optional<std::string> check_format_version();
  std::optional<std::string> load_last_sequence();
  std::optional<std::string> write_batch(std::vector<event>& events);
  std::optional<std::string> load_status(const std::string& request_id,
                                         nlohmann::json& status) const;
  void remember_statuses(const pending_statuses& statuses);

  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<detail::column_families> families_;
  event_store_options options_;
  std::atomic<std::uint64_t> last_sequence_{0};

  // Written and read by the appending thread only.
  std::unordered_map<std::string, nlohmann::json> status_cache_;
};

}  // namespace gateway::storage

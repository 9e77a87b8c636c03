// Online backup and export of the event store. Both open the database as
// a RocksDB secondary instance, which needs no lock, so they work from
// another process while the gateway holds the database. A secondary
// instance catches up with the primary's MANIFEST and WAL once, at open,
// and reads nothing written after that.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace gateway::storage {

struct backup_result {
  std::uint64_t last_sequence = 0;  // the highest sequence in the backup
};

// Writes a RocksDB checkpoint of the event store in data_dir to to_dir,
// which must not exist yet: hard links to the table files where the file
// system allows, copies otherwise, plus a copy of the live WAL, so the
// backup contains every batch written before the call. Each batch is one
// WAL record, so the backup never contains half a batch. Retries a few times
// when the gateway deletes a file during the checkpoint (compaction).
// Then opens the backup read-only to check it. Returns the result, or
// nullopt with *error set.
std::optional<backup_result> backup_event_store(const std::string& data_dir,
                                                const std::string& to_dir,
                                                std::string* error);

// Writes every event with a sequence of at least since to out, one JSON
// object per line in the event log's own versioned encoding (see
// encode_event), in sequence order. Returns the number of events written,
// or nullopt with *error set when the store cannot be read; lines written
// before the failure stay written.
std::optional<std::uint64_t> export_events(const std::string& data_dir,
                                           std::uint64_t since,
                                           std::ostream& out,
                                           std::string* error);

}  // namespace gateway::storage

// The revocation index of the event store: token_revoked events kept under
// "revoked/" in meta, so that a start reloads them without a log scan.
#include <exception>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "gateway/storage/event_store.hpp"
#include "src/storage/column_families.hpp"
#include "src/storage/keys.hpp"

namespace gateway::storage {

std::vector<event> event_store::revocation_events(std::string* error) const {
  std::vector<event> events;
  auto fail = [error](std::string text) {
    if (error != nullptr) *error = std::move(text);
  };
  try {
    rocksdb::Slice upper_bound(keys::revoked_upper_bound.data(),
                               keys::revoked_upper_bound.size());
    rocksdb::ReadOptions read_options;
    read_options.iterate_upper_bound = &upper_bound;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(read_options, families_->meta));
    for (it->Seek(rocksdb::Slice(keys::revoked_prefix.data(),
                                 keys::revoked_prefix.size()));
         it->Valid(); it->Next()) {
      std::string failure;
      auto decoded = decode_event(it->value().ToStringView(), &failure);
      if (!decoded) {
        fail("revocation at key " + it->key().ToString(true) +
             " cannot be decoded: " + failure);
        return events;
      }
      events.push_back(std::move(*decoded));
    }
    if (!it->status().ok())
      fail("reading the revocation index failed: " + it->status().ToString());
  } catch (const std::exception& e) {
    fail(std::string("reading the revocation index failed: ") + e.what());
  }
  return events;
}

std::optional<std::string> event_store::forget_revocations(
    const std::vector<std::uint64_t>& sequences) {
  if (sequences.empty()) return std::nullopt;
  try {
    rocksdb::WriteBatch batch;
    for (std::uint64_t sequence : sequences) {
      auto status = batch.Delete(families_->meta, keys::revoked_key(sequence));
      if (!status.ok())
        return "removing a revocation failed: " + status.ToString();
    }
    rocksdb::WriteOptions write_options;
    write_options.sync = options_.sync;
    auto status = db_->Write(write_options, &batch);
    if (!status.ok())
      return "removing revocations failed: " + status.ToString();
  } catch (const std::exception& e) {
    return std::string("removing revocations failed: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace gateway::storage

// A read-only view of an event store opened as a RocksDB secondary
// instance, for tools that run beside the gateway. Internal to
// src/storage.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rocksdb/db.h>

namespace gateway::storage::detail {

class secondary_instance {
 public:
  // Opens data_dir as a secondary with every column family and catches up
  // with the primary. The secondary's own files go to a temporary folder
  // that the destructor removes. Returns nullptr with *error set on
  // failure.
  static std::unique_ptr<secondary_instance> open(const std::string& data_dir,
                                                  std::string* error);
  ~secondary_instance();
  secondary_instance(const secondary_instance&) = delete;
  secondary_instance& operator=(const secondary_instance&) = delete;

  [[nodiscard]] rocksdb::DB& db() { return *db_; }
  // The handle of the named column family, or nullptr.
  [[nodiscard]] rocksdb::ColumnFamilyHandle* family(const std::string& name);

 private:
  secondary_instance() = default;

  std::string scratch_dir_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;
};

}  // namespace gateway::storage::detail

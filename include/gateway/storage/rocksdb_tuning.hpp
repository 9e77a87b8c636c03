// RocksDB options of the event store. The store, its backup check and the
// raw write benchmark use the same ones, so that the benchmark compares the
// gateway with RocksDB as the gateway configures it.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include <rocksdb/cache.h>
#include <rocksdb/options.h>

namespace gateway::storage {

// Memory bounds of one open store. With RocksDB's defaults, resident
// memory grows with write volume (two 64 MiB memtables per column family)
// and with store size (indexes kept outside any cache). These bound both.
struct rocksdb_memory_limits {
  // All memtables of all column families together.
  std::size_t write_buffers = 64u << 20;
  // One memtable of one column family.
  std::size_t write_buffer_per_family = 16u << 20;
  // Data, index and filter blocks of every column family.
  std::size_t block_cache = 32u << 20;
};

// Database-wide and per-family options with one shared block cache.
class rocksdb_tuning {
 public:
  explicit rocksdb_tuning(rocksdb_memory_limits limits = {});

  // Returns the database options. The caller sets create_if_missing and
  // create_missing_column_families.
  [[nodiscard]] rocksdb::Options database() const;

  // Returns the options of the named column family. Values of 4 KiB or more
  // in the requests family (the expected-node lists of large requests) go
  // to blob files, so that reading a small status record beside one does
  // not decompress the whole list.
  [[nodiscard]] rocksdb::ColumnFamilyOptions family(
      std::string_view name) const;

 private:
  rocksdb_memory_limits limits_;
  std::shared_ptr<rocksdb::Cache> block_cache_;
};

}  // namespace gateway::storage

#include "gateway/storage/rocksdb_tuning.hpp"

#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include "src/storage/column_families.hpp"

namespace gateway::storage {

rocksdb_tuning::rocksdb_tuning(rocksdb_memory_limits limits)
    : limits_(limits), block_cache_(rocksdb::NewLRUCache(limits.block_cache)) {}

rocksdb::Options rocksdb_tuning::database() const {
  rocksdb::Options options;
  options.db_write_buffer_size = limits_.write_buffers;
  return options;
}

rocksdb::ColumnFamilyOptions rocksdb_tuning::family(
    std::string_view name) const {
  rocksdb::ColumnFamilyOptions options;
  options.write_buffer_size = limits_.write_buffer_per_family;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = block_cache_;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Appends look up status and index keys that mostly do not exist yet.
  // Bloom filters rule those out without reading the index blocks of every
  // level, which thrash the small cache once the store is large.
  // Partitioned indexes and filters keep only their top level pinned.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.pin_top_level_index_and_filter = true;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  if (name == detail::requests_family) {
    options.enable_blob_files = true;
    options.min_blob_size = 4096;
    options.enable_blob_garbage_collection = true;
  }
  return options;
}

}  // namespace gateway::storage

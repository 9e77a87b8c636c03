// The column family handles of an open event store. Internal to
// src/storage.
#pragma once

#include <vector>

#include <rocksdb/db.h>

namespace gateway::storage::detail {

inline constexpr const char* events_family = "events";
inline constexpr const char* requests_family = "requests";
inline constexpr const char* replies_family = "replies";
inline constexpr const char* meta_family = "meta";
inline constexpr const char* index_family = "index";

// Handles are owned by the event store, which destroys them before it
// closes the database. The named pointers point into all.
struct column_families {
  std::vector<rocksdb::ColumnFamilyHandle*> all;
  rocksdb::ColumnFamilyHandle* events = nullptr;
  rocksdb::ColumnFamilyHandle* requests = nullptr;
  rocksdb::ColumnFamilyHandle* replies = nullptr;
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  rocksdb::ColumnFamilyHandle* index = nullptr;
};

}  // namespace gateway::storage::detail

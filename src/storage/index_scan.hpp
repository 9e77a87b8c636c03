// A bounded scan of one time-ordered index prefix, newest first, shared by
// the history and audit queries. Internal to src/storage.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <rocksdb/db.h>

#include "src/storage/index_keys.hpp"

namespace gateway::storage::detail {

// Index entries one page may examine, whether or not they pass the
// filters. It bounds the cost of a page whose filters skip most entries.
inline constexpr std::size_t scan_budget = 10000;

struct index_scan {
  std::string prefix;  // ends in '\0'
  std::optional<std::int64_t> since_ms;
  std::optional<std::int64_t> until_ms;
  std::optional<index_keys::order> after;  // from the cursor
  std::size_t limit = 100;
};

struct index_scan_result {
  // The position of the last entry examined, and whether entries follow.
  std::optional<index_keys::order> last;
  bool more = false;
};

// Calls take(value) for the entries of scan.prefix after scan.after within
// the time bounds, newest first, until take returned true limit times or
// scan_budget entries were examined. take returns false for entries it
// skips. Returns nullopt and sets *error when RocksDB fails.
std::optional<index_scan_result> scan_index(
    rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family,
    const rocksdb::ReadOptions& base_options, const index_scan& scan,
    const std::function<bool(std::string_view value)>& take,
    std::string* error);

}  // namespace gateway::storage::detail

#include "src/storage/index_scan.hpp"

#include <limits>
#include <memory>

namespace gateway::storage::detail {
namespace {

constexpr std::uint64_t max_sequence =
    std::numeric_limits<std::uint64_t>::max();

// The first key to examine: the larger of the until bound and the key of
// the cursor's entry.
std::string start_key(const index_scan& scan) {
  std::string start = scan.prefix;
  if (scan.until_ms)
    start += index_keys::encode_order({*scan.until_ms, max_sequence});
  if (scan.after) {
    std::string resume = scan.prefix + index_keys::encode_order(*scan.after);
    if (resume > start) start = std::move(resume);
  }
  return start;
}

// The first key past the since bound, or past the whole prefix.
std::string end_key(const index_scan& scan) {
  if (!scan.since_ms) return index_keys::prefix_upper_bound(scan.prefix);
  std::string end = scan.prefix + index_keys::encode_order({*scan.since_ms, 0});
  end.push_back('\0');
  return end;
}

}  // namespace

std::optional<index_scan_result> scan_index(
    rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family,
    const rocksdb::ReadOptions& base_options, const index_scan& scan,
    const std::function<bool(std::string_view value)>& take,
    std::string* error) {
  std::string end = end_key(scan);
  rocksdb::Slice upper_bound(end);
  rocksdb::ReadOptions options = base_options;
  options.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(options, family));

  std::string resume;
  if (scan.after) resume = scan.prefix + index_keys::encode_order(*scan.after);
  it->Seek(start_key(scan));
  if (scan.after && it->Valid() && it->key().ToStringView() == resume)
    it->Next();

  index_scan_result result;
  std::size_t taken = 0;
  std::size_t examined = 0;
  for (; it->Valid() && taken < scan.limit && examined < scan_budget;
       it->Next()) {
    std::string_view key = it->key().ToStringView();
    if (key.size() != scan.prefix.size() + index_keys::order_size) continue;
    ++examined;
    result.last = index_keys::decode_order(key);
    if (take(it->value().ToStringView())) ++taken;
  }
  if (!it->status().ok()) {
    if (error != nullptr)
      *error = "reading an index failed: " + it->status().ToString();
    return std::nullopt;
  }
  result.more = it->Valid();
  return result;
}

}  // namespace gateway::storage::detail

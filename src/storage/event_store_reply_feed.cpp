// Replies after a known sequence, for live streams: the same prefix seek
// as reply pages, keyed by sequence instead of an opaque cursor.
#include <exception>
#include <limits>
#include <utility>

#include <rocksdb/db.h>

#include "gateway/common/encoding.hpp"
#include "gateway/storage/event_store.hpp"
#include "src/storage/column_families.hpp"
#include "src/storage/keys.hpp"

namespace gateway::storage {

std::optional<std::vector<sequenced_reply>> event_store::replies_after(
    std::string_view request_id, std::uint64_t after_sequence,
    std::size_t limit, std::string* error) const {
  std::vector<sequenced_reply> out;
  if (!keys::is_valid_request_id(request_id) || limit == 0 ||
      after_sequence == std::numeric_limits<std::uint64_t>::max())
    return out;

  try {
    std::string prefix = keys::reply_prefix(request_id);
    std::string bound = keys::reply_upper_bound(request_id);
    rocksdb::Slice upper_bound(bound);
    rocksdb::ReadOptions read_options;
    read_options.iterate_upper_bound = &upper_bound;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(read_options, families_->replies));

    for (it->Seek(keys::reply_key(request_id, after_sequence + 1));
         it->Valid() && out.size() < limit; it->Next()) {
      auto key = it->key().ToStringView();
      if (key.size() != prefix.size() + 8) continue;
      auto sequence = read_big_endian(key.substr(prefix.size()));
      if (!sequence) continue;
      auto reply =
          nlohmann::json::parse(it->value().ToStringView(), nullptr, false);
      if (reply.is_discarded()) {
        if (error != nullptr)
          *error = "the reply at sequence " + std::to_string(*sequence) +
                   " is not JSON";
        return std::nullopt;
      }
      out.push_back({*sequence, std::move(reply)});
    }
    if (!it->status().ok()) {
      if (error != nullptr)
        *error = "reading replies failed: " + it->status().ToString();
      return std::nullopt;
    }
    return out;
  } catch (const std::exception& e) {
    if (error != nullptr)
      *error = std::string("reading replies failed: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace gateway::storage

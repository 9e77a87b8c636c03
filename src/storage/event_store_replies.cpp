// Reply pages: a seek into the request's prefix of the replies column
// family, so page N costs the same as page 1.
#include <exception>
#include <utility>

#include <rocksdb/db.h>

#include "gateway/common/encoding.hpp"
#include "gateway/storage/event_store.hpp"
#include "src/storage/column_families.hpp"
#include "src/storage/keys.hpp"

namespace gateway::storage {
namespace {

using json = nlohmann::json;

void set_error(std::string* error, std::string text) {
  if (error != nullptr) *error = std::move(text);
}

// The sequence at the end of a reply key, or nullopt if key is not one of
// prefix's reply keys.
std::optional<std::uint64_t> reply_sequence(std::string_view key,
                                            std::string_view prefix) {
  if (key.size() != prefix.size() + 8 || !key.starts_with(prefix))
    return std::nullopt;
  return read_big_endian(key.substr(prefix.size()));
}

}  // namespace

std::optional<reply_page> event_store::replies(std::string_view request_id,
                                               std::string_view cursor,
                                               std::size_t limit,
                                               std::string* error) const {
  std::optional<std::uint64_t> after;
  if (!cursor.empty()) {
    after = keys::decode_cursor(request_id, cursor);
    if (!after) {
      set_error(error, "invalid cursor");
      return std::nullopt;
    }
  }
  if (limit == 0) {
    set_error(error, "invalid limit");
    return std::nullopt;
  }
  if (!keys::is_valid_request_id(request_id)) return reply_page{};

  try {
    std::string prefix = keys::reply_prefix(request_id);
    std::string bound = keys::reply_upper_bound(request_id);
    rocksdb::Slice upper_bound(bound);
    rocksdb::ReadOptions read_options;
    read_options.iterate_upper_bound = &upper_bound;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(read_options, families_->replies));

    // Position on the first reply after the cursor.
    it->Seek(after ? keys::reply_key(request_id, *after) : prefix);
    if (after && it->Valid() &&
        reply_sequence(it->key().ToStringView(), prefix) == *after)
      it->Next();

    reply_page page;
    std::uint64_t last = 0;
    for (; it->Valid() && page.replies.size() < limit; it->Next()) {
      auto sequence = reply_sequence(it->key().ToStringView(), prefix);
      if (!sequence) continue;  // Not possible below the upper bound.
      json reply = json::parse(it->value().ToStringView(), nullptr, false);
      if (reply.is_discarded()) {
        set_error(error, "the reply at sequence " + std::to_string(*sequence) +
                             " is not JSON");
        return std::nullopt;
      }
      page.replies.push_back(std::move(reply));
      last = *sequence;
    }
    if (!it->status().ok()) {
      set_error(error, "reading replies failed: " + it->status().ToString());
      return std::nullopt;
    }
    if (it->Valid()) page.next_cursor = keys::encode_cursor(request_id, last);
    return page;
  } catch (const std::exception& e) {
    set_error(error, std::string("reading replies failed: ") + e.what());
    return std::nullopt;
  }
}

}  // namespace gateway::storage

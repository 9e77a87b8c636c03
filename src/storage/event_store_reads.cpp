// The read side of the event store. Every function here is const and safe
// to call from any thread while the owner appends: RocksDB reads see a
// consistent state, and iterators read from an implicit snapshot.
#include <exception>
#include <utility>

#include <rocksdb/db.h>

#include "gateway/storage/event_store.hpp"
#include "src/storage/column_families.hpp"
#include "src/storage/keys.hpp"

namespace gateway::storage {
namespace {

using json = nlohmann::json;

void set_error(std::string* error, std::string text) {
  if (error != nullptr) *error = std::move(text);
}

// The JSON value stored at key. Returns nullopt for a missing key, and
// also sets *error when the key cannot be read or does not hold JSON.
std::optional<json> get_json(rocksdb::DB& db,
                             rocksdb::ColumnFamilyHandle* family,
                             const std::string& key, std::string* error) {
  std::string value;
  rocksdb::Status read = db.Get(rocksdb::ReadOptions(), family, key, &value);
  if (read.IsNotFound()) return std::nullopt;
  if (!read.ok()) {
    set_error(error, "reading " + key + " failed: " + read.ToString());
    return std::nullopt;
  }
  json parsed = json::parse(value, nullptr, false);
  if (parsed.is_discarded()) {
    set_error(error, "the value stored at " + key + " is not JSON");
    return std::nullopt;
  }
  return parsed;
}

}  // namespace

std::optional<json> event_store::request_status(std::string_view request_id,
                                                std::string* error) const {
  if (!keys::is_valid_request_id(request_id)) return std::nullopt;
  try {
    auto status =
        get_json(*db_, families_->requests, std::string(request_id), error);
    if (status && !status->is_object()) {
      set_error(error, "the status of " + std::string(request_id) +
                           " is not a JSON object");
      return std::nullopt;
    }
    return status;
  } catch (const std::exception& e) {
    set_error(error, std::string("reading a status failed: ") + e.what());
    return std::nullopt;
  }
}

std::vector<std::string> event_store::expected_nodes(
    std::string_view request_id, std::string* error) const {
  std::vector<std::string> names;
  if (!keys::is_valid_request_id(request_id)) return names;
  try {
    auto list = get_json(*db_, families_->requests,
                         keys::expected_nodes_key(request_id), error);
    if (!list) return names;
    if (!list->is_array()) {
      set_error(error, "the expected nodes of " + std::string(request_id) +
                           " are not a JSON array");
      return names;
    }
    names.reserve(list->size());
    for (const auto& name : *list)
      if (name.is_string()) names.push_back(name.get<std::string>());
  } catch (const std::exception& e) {
    set_error(error, std::string("reading expected nodes failed: ") + e.what());
    names.clear();
  }
  return names;
}

std::optional<event> event_store::accepted_event(
    std::string_view request_id) const {
  auto status = request_status(request_id);
  if (!status) return std::nullopt;
  auto sequence = status->find("accepted_sequence");
  if (sequence == status->end() || !sequence->is_number_unsigned())
    return std::nullopt;

  auto events = read_events(sequence->get<std::uint64_t>(), 1);
  if (events.empty() || events[0].kind != event_kind::request_accepted ||
      events[0].request_id != request_id)
    return std::nullopt;
  return std::move(events[0]);
}

std::vector<event> event_store::read_events(std::uint64_t from_sequence,
                                            std::size_t limit,
                                            std::string* error) const {
  std::vector<event> events;
  try {
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), families_->events));
    for (it->Seek(keys::sequence_key(from_sequence));
         it->Valid() && events.size() < limit; it->Next()) {
      std::string failure;
      auto decoded = decode_event(it->value().ToStringView(), &failure);
      if (!decoded) {
        set_error(error, "event at key " + it->key().ToString(true) +
                             " cannot be decoded: " + failure);
        return events;
      }
      events.push_back(std::move(*decoded));
    }
    if (!it->status().ok())
      set_error(error, "reading events failed: " + it->status().ToString());
  } catch (const std::exception& e) {
    set_error(error, std::string("reading events failed: ") + e.what());
  }
  return events;
}

std::vector<std::string> event_store::unfinished_requests(
    std::string* error) const {
  std::vector<std::string> ids;
  try {
    rocksdb::Slice upper_bound(keys::unfinished_upper_bound.data(),
                               keys::unfinished_upper_bound.size());
    rocksdb::ReadOptions read_options;
    read_options.iterate_upper_bound = &upper_bound;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(read_options, families_->meta));
    for (it->Seek(rocksdb::Slice(keys::unfinished_prefix.data(),
                                 keys::unfinished_prefix.size()));
         it->Valid(); it->Next()) {
      ids.emplace_back(
          it->key().ToStringView().substr(keys::unfinished_prefix.size()));
    }
    if (!it->status().ok()) {
      set_error(error, "reading the unfinished index failed: " +
                           it->status().ToString());
    }
  } catch (const std::exception& e) {
    set_error(error,
              std::string("reading the unfinished index failed: ") + e.what());
  }
  return ids;
}

}  // namespace gateway::storage

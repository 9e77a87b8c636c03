#include "gateway/storage/event_store.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <system_error>
#include <utility>

#include <rocksdb/db.h>

#include "gateway/common/encoding.hpp"
#include "gateway/storage/rocksdb_tuning.hpp"
#include "src/storage/column_families.hpp"
#include "src/storage/index_keys.hpp"

namespace gateway::storage {
namespace {

void set_error(std::string* error, std::string text) {
  if (error != nullptr) *error = std::move(text);
}

// The column families of an existing database plus the ones this store
// needs. RocksDB refuses to open a database without naming all of them.
std::vector<std::string> family_names(const rocksdb::Options& options,
                                      const std::string& path) {
  std::vector<std::string> names;
  rocksdb::Status listed =
      rocksdb::DB::ListColumnFamilies(options, path, &names);
  if (!listed.ok()) names.clear();  // A new database has none yet.
  for (const char* name :
       {rocksdb::kDefaultColumnFamilyName.c_str(), detail::events_family,
        detail::requests_family, detail::replies_family, detail::meta_family,
        detail::index_family}) {
    if (std::find(names.begin(), names.end(), name) == names.end())
      names.emplace_back(name);
  }
  return names;
}

constexpr std::string_view format_version_key = "format_version";
constexpr std::string_view format_version = "1";
constexpr std::string_view index_version_key = "index_version";
constexpr std::string_view index_version = "1";

rocksdb::Slice slice(std::string_view text) {
  return rocksdb::Slice(text.data(), text.size());
}

// Sorts opened handles into the named slots of families.
void assign_families(detail::column_families& families) {
  for (rocksdb::ColumnFamilyHandle* handle : families.all) {
    const std::string& name = handle->GetName();
    if (name == detail::events_family) families.events = handle;
    if (name == detail::requests_family) families.requests = handle;
    if (name == detail::replies_family) families.replies = handle;
    if (name == detail::meta_family) families.meta = handle;
    if (name == detail::index_family) families.index = handle;
  }
}

}  // namespace

std::unique_ptr<event_store> event_store::open(
    const std::string& path, const event_store_options& options,
    std::string* error) {
  try {
    // RocksDB creates the last directory of path but not its parents.
    std::error_code created;
    if (options.create_if_missing)
      std::filesystem::create_directories(path, created);
    if (created) {
      set_error(error, "creating the event store directory " + path +
                           " failed: " + created.message());
      return nullptr;
    }

    rocksdb_tuning tuning;
    rocksdb::Options db_options = tuning.database();
    db_options.create_if_missing = options.create_if_missing;
    db_options.create_missing_column_families = true;

    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (auto& name : family_names(db_options, path))
      descriptors.emplace_back(name, tuning.family(name));

    auto families = std::make_unique<detail::column_families>();
    rocksdb::DB* raw_db = nullptr;
    rocksdb::Status opened = rocksdb::DB::Open(db_options, path, descriptors,
                                               &families->all, &raw_db);
    if (!opened.ok()) {
      set_error(error, "opening the event store in " + path +
                           " failed: " + opened.ToString());
      return nullptr;
    }
    assign_families(*families);

    std::unique_ptr<event_store> store(new event_store(
        std::unique_ptr<rocksdb::DB>(raw_db), std::move(families), options));
    auto failure = store->check_format_version();
    if (!failure) failure = store->load_last_sequence();
    if (!failure) failure = store->load_request_count();
    if (!failure) failure = store->check_index_version();
    if (failure) {
      set_error(error,
                "opening the event store in " + path + " failed: " + *failure);
      return nullptr;
    }
    return store;
  } catch (const std::exception& e) {
    set_error(error,
              std::string("opening the event store failed: ") + e.what());
    return nullptr;
  }
}

event_store::event_store(std::unique_ptr<rocksdb::DB> db,
                         std::unique_ptr<detail::column_families> families,
                         const event_store_options& options)
    : db_(std::move(db)), families_(std::move(families)), options_(options) {}

event_store::~event_store() {
  // NOTE: failures to release a handle or to close are dropped, because a
  // destructor has no caller to report to. Every append is in the WAL.
  for (rocksdb::ColumnFamilyHandle* handle : families_->all)
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  db_->Close().PermitUncheckedError();
}

std::optional<std::string> event_store::check_format_version() {
  std::string version;
  rocksdb::Status read = db_->Get(
      rocksdb::ReadOptions(), families_->meta,
      rocksdb::Slice(format_version_key.data(), format_version_key.size()),
      &version);
  if (read.ok()) {
    if (version == format_version) return std::nullopt;
    return "unsupported format version \"" + version + "\", expected \"" +
           std::string(format_version) + "\"";
  }
  if (!read.IsNotFound())
    return "reading the format version failed: " + read.ToString();

  // A new database has no version yet.
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  rocksdb::Status written = db_->Put(
      write_options, families_->meta,
      rocksdb::Slice(format_version_key.data(), format_version_key.size()),
      rocksdb::Slice(format_version.data(), format_version.size()));
  if (!written.ok())
    return "writing the format version failed: " + written.ToString();
  return std::nullopt;
}

std::optional<std::string> event_store::load_last_sequence() {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), families_->events));
  it->SeekToLast();
  if (!it->status().ok())
    return "reading the last event failed: " + it->status().ToString();
  if (!it->Valid()) return std::nullopt;

  auto sequence = read_big_endian(it->key().ToStringView());
  if (!sequence)
    return "the last key of column family events is not a sequence";
  last_sequence_.store(*sequence);
  return std::nullopt;
}

std::optional<std::string> event_store::load_request_count() {
  std::string value;
  rocksdb::Status read = db_->Get(rocksdb::ReadOptions(), families_->index,
                                  slice(index_keys::request_count_key), &value);
  if (read.IsNotFound()) return std::nullopt;
  if (!read.ok())
    return "reading the request count failed: " + read.ToString();
  auto count = read_big_endian(value);
  if (!count) return "the stored request count is not 8 bytes";
  request_count_.store(*count);
  return std::nullopt;
}

std::optional<std::string> event_store::check_index_version() {
  std::string version;
  rocksdb::Status read = db_->Get(rocksdb::ReadOptions(), families_->meta,
                                  slice(index_version_key), &version);
  if (read.ok() && version == index_version) return std::nullopt;
  if (!read.ok() && !read.IsNotFound())
    return "reading the index version failed: " + read.ToString();

  // A database from before the index family, or with other indexes:
  // rebuild them from the events. A new database rebuilds nothing.
  if (last_sequence_.load() > 0) {
    if (auto error = rebuild_read_models()) return error;
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  rocksdb::Status written = db_->Put(write_options, families_->meta,
                                     slice(index_version_key),
                                     slice(index_version));
  if (!written.ok())
    return "writing the index version failed: " + written.ToString();
  return std::nullopt;
}

}  // namespace gateway::storage

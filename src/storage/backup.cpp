// Online backup: a RocksDB checkpoint taken from a secondary instance.
#include <exception>
#include <filesystem>
#include <system_error>

#include <rocksdb/utilities/checkpoint.h>

#include "gateway/common/encoding.hpp"
#include "gateway/storage/backup_export.hpp"
#include "gateway/storage/rocksdb_tuning.hpp"
#include "src/storage/column_families.hpp"
#include "src/storage/secondary_instance.hpp"

namespace gateway::storage {
namespace {

constexpr int checkpoint_attempts = 5;

// Creates the checkpoint, catching up again and retrying when a file the
// secondary listed was deleted by the gateway in the meantime.
std::optional<std::string> create_checkpoint(detail::secondary_instance& db,
                                             const std::string& to_dir) {
  rocksdb::Checkpoint* raw = nullptr;
  auto created = rocksdb::Checkpoint::Create(&db.db(), &raw);
  if (!created.ok())
    return "starting a checkpoint failed: " + created.ToString();
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);

  rocksdb::Status status;
  for (int attempt = 0; attempt < checkpoint_attempts; ++attempt) {
    status = checkpoint->CreateCheckpoint(to_dir);
    if (status.ok()) return std::nullopt;
    if (!status.IsIOError() && !status.IsNotFound()) break;
    db.db().TryCatchUpWithPrimary().PermitUncheckedError();
  }
  return "writing the checkpoint to " + to_dir +
         " failed: " + status.ToString();
}

// Opens the backup read-only and reads its highest sequence.
std::optional<std::uint64_t> check_backup(const std::string& dir,
                                          std::string* error) {
  rocksdb_tuning tuning;
  rocksdb::Options options = tuning.database();
  std::vector<std::string> names;
  auto listed = rocksdb::DB::ListColumnFamilies(options, dir, &names);
  if (!listed.ok()) {
    *error = "the backup cannot be read: " + listed.ToString();
    return std::nullopt;
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names)
    descriptors.emplace_back(name, tuning.family(name));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto opened =
      rocksdb::DB::OpenForReadOnly(options, dir, descriptors, &handles, &raw);
  if (!opened.ok()) {
    *error = "the backup cannot be opened: " + opened.ToString();
    return std::nullopt;
  }
  std::unique_ptr<rocksdb::DB> db(raw);

  std::uint64_t last = 0;
  for (auto* handle : handles) {
    if (handle->GetName() != detail::events_family) continue;
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), handle));
    it->SeekToLast();
    if (it->Valid())
      last = read_big_endian(it->key().ToStringView()).value_or(0);
    if (!it->status().ok())
      *error = "reading the backup failed: " + it->status().ToString();
  }
  for (auto* handle : handles)
    db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  db->Close().PermitUncheckedError();
  if (!error->empty()) return std::nullopt;
  return last;
}

}  // namespace

std::optional<backup_result> backup_event_store(const std::string& data_dir,
                                                const std::string& to_dir,
                                                std::string* error) {
  try {
    std::error_code code;
    if (std::filesystem::exists(to_dir, code)) {
      *error =
          "the backup folder " + to_dir + " already exists: name a new folder";
      return std::nullopt;
    }
    auto parent = std::filesystem::absolute(to_dir).parent_path();
    std::filesystem::create_directories(parent, code);
    if (code) {
      *error = "creating " + parent.string() + " failed: " + code.message();
      return std::nullopt;
    }

    auto db = detail::secondary_instance::open(data_dir, error);
    if (!db) return std::nullopt;
    if (auto failure = create_checkpoint(*db, to_dir)) {
      *error = *failure;
      return std::nullopt;
    }
    auto last = check_backup(to_dir, error);
    if (!last) return std::nullopt;
    return backup_result{*last};
  } catch (const std::exception& e) {
    *error = std::string("the backup failed: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace gateway::storage

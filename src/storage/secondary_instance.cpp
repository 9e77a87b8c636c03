#include "src/storage/secondary_instance.hpp"

#include <stdlib.h>

#include <filesystem>
#include <system_error>

#include "gateway/storage/rocksdb_tuning.hpp"

namespace gateway::storage::detail {

std::unique_ptr<secondary_instance> secondary_instance::open(
    const std::string& data_dir, std::string* error) {
  std::unique_ptr<secondary_instance> out(new secondary_instance());
  std::string pattern =
      (std::filesystem::temp_directory_path() / "gateway-secondary-XXXXXX")
          .string();
  if (mkdtemp(pattern.data()) == nullptr) {
    *error = "creating a temporary folder failed";
    return nullptr;
  }
  out->scratch_dir_ = pattern;

  rocksdb_tuning tuning;
  rocksdb::Options options = tuning.database();
  // A secondary keeps every table file open, so that files the primary
  // deletes after a compaction stay readable.
  options.max_open_files = -1;
  std::vector<std::string> names;
  auto listed = rocksdb::DB::ListColumnFamilies(options, data_dir, &names);
  if (!listed.ok()) {
    *error = "no event store in " + data_dir + ": " + listed.ToString();
    return nullptr;
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names)
    descriptors.emplace_back(name, tuning.family(name));

  rocksdb::DB* raw = nullptr;
  auto opened = rocksdb::DB::OpenAsSecondary(
      options, data_dir, out->scratch_dir_, descriptors, &out->families_, &raw);
  if (!opened.ok()) {
    *error = "opening the event store in " + data_dir +
             " as a secondary instance failed: " + opened.ToString();
    return nullptr;
  }
  out->db_.reset(raw);
  auto caught_up = out->db_->TryCatchUpWithPrimary();
  if (!caught_up.ok()) {
    *error =
        "catching up with the gateway's writes failed: " + caught_up.ToString();
    return nullptr;
  }
  return out;
}

secondary_instance::~secondary_instance() {
  if (db_) {
    for (auto* handle : families_)
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    db_->Close().PermitUncheckedError();
    db_.reset();
  }
  std::error_code ignored;
  if (!scratch_dir_.empty()) std::filesystem::remove_all(scratch_dir_, ignored);
}

rocksdb::ColumnFamilyHandle* secondary_instance::family(
    const std::string& name) {
  for (auto* handle : families_)
    if (handle->GetName() == name) return handle;
  return nullptr;
}

}  // namespace gateway::storage::detail

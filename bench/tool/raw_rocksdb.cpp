// The raw RocksDB limit for reply ingestion: the same records the gateway
// writes per reply, without JSON, status records or actors.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <nlohmann/json.hpp>

#include "bench/tool/tool.hpp"
#include "gateway/common/encoding.hpp"
#include "gateway/storage/rocksdb_tuning.hpp"

namespace gateway::bench {
namespace {

struct database {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;

  ~database() {
    for (auto* family : families)
      db->DestroyColumnFamilyHandle(family).PermitUncheckedError();
  }
};

// Opens a new database in path with one column family per value size,
// with the options the event store gives its replies family.
std::unique_ptr<database> open_database(const std::string& path,
                                        std::size_t family_count,
                                        std::string* error) {
  std::filesystem::remove_all(path);
  storage::rocksdb_tuning tuning;
  rocksdb::Options options = tuning.database();
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors{
      {rocksdb::kDefaultColumnFamilyName, tuning.family("replies")}};
  for (std::size_t i = 0; i < family_count; ++i)
    descriptors.emplace_back("cf" + std::to_string(i),
                             tuning.family("replies"));

  auto opened = std::make_unique<database>();
  rocksdb::DB* raw = nullptr;
  auto status =
      rocksdb::DB::Open(options, path, descriptors, &opened->families, &raw);
  if (!status.ok()) {
    *error = "opening " + path + " failed: " + status.ToString();
    return nullptr;
  }
  opened->db.reset(raw);
  return opened;
}

// Writes the records and returns the elapsed seconds, or a negative value
// with *error set.
double write_records(database& target, const raw_rocksdb_options& options,
                     std::size_t batch_size, std::string* error) {
  std::vector<std::string> values;
  for (std::size_t size : options.value_sizes) values.emplace_back(size, 'x');
  rocksdb::WriteOptions write_options;
  write_options.sync = options.sync;

  auto started = std::chrono::steady_clock::now();
  rocksdb::WriteBatch batch;
  for (std::size_t record = 1; record <= options.records; ++record) {
    std::string key;
    append_big_endian(key, record);
    for (std::size_t i = 0; i < values.size(); ++i)
      batch.Put(target.families[i + 1], key, values[i]).PermitUncheckedError();
    if (record % batch_size != 0 && record != options.records) continue;
    auto status = target.db->Write(write_options, &batch);
    if (!status.ok()) {
      *error = "write failed: " + status.ToString();
      return -1;
    }
    batch.Clear();
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       started)
      .count();
}

}  // namespace

int run_raw_rocksdb(const raw_rocksdb_options& options) {
  nlohmann::json runs = nlohmann::json::array();
  for (std::size_t batch_size : options.batch_sizes) {
    std::string error;
    std::string path = options.dir + "/batch-" + std::to_string(batch_size);
    auto target = open_database(path, options.value_sizes.size(), &error);
    double seconds =
        target ? write_records(*target, options, batch_size, &error) : -1;
    target.reset();
    std::filesystem::remove_all(path);
    if (seconds < 0) {
      std::fprintf(stderr, "raw-rocksdb: %s\n", error.c_str());
      return 1;
    }
    runs.push_back({{"batch", batch_size},
                    {"seconds", seconds},
                    {"records_per_second",
                     static_cast<double>(options.records) / seconds}});
  }
  nlohmann::json out = {{"records", options.records},
                        {"value_sizes", options.value_sizes},
                        {"sync", options.sync},
                        {"runs", runs}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace gateway::bench

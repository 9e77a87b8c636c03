// Export of the event log as JSON lines, read from a secondary instance.
#include <exception>

#include "gateway/storage/backup_export.hpp"
#include "src/storage/column_families.hpp"
#include "src/storage/keys.hpp"
#include "src/storage/secondary_instance.hpp"

namespace gateway::storage {

std::optional<std::uint64_t> export_events(const std::string& data_dir,
                                           std::uint64_t since,
                                           std::ostream& out,
                                           std::string* error) {
  try {
    auto db = detail::secondary_instance::open(data_dir, error);
    if (!db) return std::nullopt;
    auto* events = db->family(detail::events_family);
    if (events == nullptr) {
      *error = "the store in " + data_dir + " has no events column family";
      return std::nullopt;
    }

    std::uint64_t count = 0;
    std::unique_ptr<rocksdb::Iterator> it(
        db->db().NewIterator(rocksdb::ReadOptions(), events));
    for (it->Seek(keys::sequence_key(since)); it->Valid(); it->Next()) {
      // Stored events are single-line JSON (encode_event).
      out << it->value().ToStringView() << '\n';
      ++count;
    }
    if (!it->status().ok()) {
      *error = "reading events failed: " + it->status().ToString();
      return std::nullopt;
    }
    out.flush();
    if (!out) {
      *error = "writing the export failed";
      return std::nullopt;
    }
    return count;
  } catch (const std::exception& e) {
    *error = std::string("the export failed: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace gateway::storage

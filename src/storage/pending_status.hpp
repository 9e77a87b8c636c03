// A status record touched by the write batch being built. Internal to
// src/storage.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace gateway::storage::detail {

// changed marks the records to write, was_unfinished tells whether the
// unfinished index lists the request before this batch, and old_state is
// its state before this batch (empty for a request without a record).
struct pending_status {
  nlohmann::json status;
  bool changed = false;
  bool was_unfinished = false;
  std::string old_state;
};

}  // namespace gateway::storage::detail

#include "gateway/sim/fleet_stats.hpp"

#include <cstdio>
#include <fstream>

namespace gateway::sim {
namespace {

using choria::rejection;

constexpr rejection reported_reasons[] = {
    rejection::malformed,         rejection::untrusted_cert,
    rejection::callerid_mismatch, rejection::not_allowed,
    rejection::bad_signature,     rejection::expired,
    rejection::no_reply_to,
};

std::size_t slot(rejection reason) { return static_cast<std::size_t>(reason); }

}  // namespace

void fleet_stats::count_rejection(rejection reason) {
  if (reason == rejection::none || slot(reason) >= reason_count) return;
  rejected_[slot(reason)].fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t fleet_stats::rejections(rejection reason) const {
  if (slot(reason) >= reason_count) return 0;
  return rejected_[slot(reason)].load(std::memory_order_relaxed);
}

nlohmann::json fleet_stats::to_json() const {
  nlohmann::json rejected = nlohmann::json::object();
  for (rejection reason : reported_reasons) {
    rejected[std::string(choria::to_string(reason))] = rejections(reason);
  }
  return {{"messages", messages.load()},
          {"accepted", accepted.load()},
          {"rejected", rejected},
          {"unsupported_compound", unsupported_compound.load()},
          {"unknown_collective", unknown_collective.load()},
          {"unknown_node", unknown_node.load()},
          {"unknown_agent", unknown_agent.load()},
          {"filtered", filtered.load()},
          {"silenced", silenced.load()},
          {"no_reply", no_reply.load()},
          {"replies", replies.load()},
          {"publish_errors", publish_errors.load()}};
}

bool fleet_stats::write_file(const std::string& path,
                             std::string* error) const {
  std::string temporary = path + ".tmp";
  {
    std::ofstream output(temporary, std::ios::binary | std::ios::trunc);
    output << to_json().dump(2) << '\n';
    if (!output.flush()) {
      *error = "cannot write stats file " + temporary;
      return false;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    *error = "cannot rename " + temporary + " to " + path;
    return false;
  }
  return true;
}

}  // namespace gateway::sim

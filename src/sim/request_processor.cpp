#include "gateway/sim/request_processor.hpp"

#include <algorithm>
#include <chrono>

#include "gateway/common/logging.hpp"
#include "gateway/sim/filter_matcher.hpp"

namespace gateway::sim {
namespace {

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::int64_t steady_milliseconds() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

request_processor::request_processor(const node_set& nodes,
                                     const choria::node_verifier& verifier,
                                     std::vector<std::string> collectives,
                                     std::vector<std::string> agents,
                                     fleet_stats& stats)
    : nodes_(nodes),
      verifier_(verifier),
      collectives_(std::move(collectives)),
      agents_(std::move(agents)),
      stats_(stats) {
  for (auto& last : last_logged_) last.store(-1'000'000);
}

std::optional<accepted_request> request_processor::accept(
    std::string_view subject, std::string_view payload, std::int64_t now) {
  stats_.messages.fetch_add(1, std::memory_order_relaxed);

  // A direct subject names one node; one this process lacks gets no reply.
  std::optional<std::size_t> direct;
  for (const auto& collective : collectives_) {
    std::string prefix = collective + ".node.";
    if (subject.substr(0, prefix.size()) != prefix) continue;
    direct = nodes_.find(subject.substr(prefix.size()));
    if (!direct) {
      stats_.unknown_node.fetch_add(1, std::memory_order_relaxed);
      return std::nullopt;
    }
  }

  auto decoded = choria::decode_request(payload);
  if (!decoded.value) {
    stats_.count_rejection(choria::rejection::malformed);
    log_rejection(choria::rejection::malformed, "", "");
    return std::nullopt;
  }
  auto& request = *decoded.value;
  auto reason = verifier_.verify(request, now);
  if (reason != choria::rejection::none) {
    stats_.count_rejection(reason);
    log_rejection(reason, request.env.request_id, request.env.caller_id);
    return std::nullopt;
  }
  stats_.accepted.fetch_add(1, std::memory_order_relaxed);
  if (!routable(request.env)) return std::nullopt;

  auto targets = select_targets(request.env.target, direct);
  if (targets.empty()) return std::nullopt;
  return accepted_request{std::move(request), std::move(targets)};
}

bool request_processor::routable(const choria::envelope& env) {
  if (!contains(collectives_, env.collective)) {
    stats_.unknown_collective.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  if (!contains(agents_, env.agent)) {
    stats_.unknown_agent.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

std::vector<std::size_t> request_processor::select_targets(
    const choria::filter& target, std::optional<std::size_t> direct) {
  filter_matcher matcher(target);
  if (!matcher.supported()) {
    stats_.unsupported_compound.fetch_add(1, std::memory_order_relaxed);
    return {};
  }

  std::size_t first = direct.value_or(0);
  std::size_t last = direct ? *direct + 1 : nodes_.nodes().size();
  std::vector<std::size_t> targets;
  std::uint64_t filtered = 0;
  std::uint64_t silenced = 0;
  for (std::size_t i = first; i < last; ++i) {
    if (!matcher.matches(nodes_.nodes()[i])) {
      ++filtered;
    } else if (nodes_.silent(i)) {
      ++silenced;
    } else {
      targets.push_back(i);
    }
  }
  stats_.filtered.fetch_add(filtered, std::memory_order_relaxed);
  stats_.silenced.fetch_add(silenced, std::memory_order_relaxed);
  return targets;
}

void request_processor::log_rejection(choria::rejection reason,
                                      std::string_view request_id,
                                      std::string_view caller_id) {
  auto slot = static_cast<std::size_t>(reason);
  if (slot >= last_logged_.size()) return;
  auto now = steady_milliseconds();
  auto last = last_logged_[slot].load(std::memory_order_relaxed);
  if (now - last < 1000) return;
  if (!last_logged_[slot].compare_exchange_strong(last, now)) return;

  logger("sim")->debug(
      "dropped request {} from {}: {} ({} such requests so far; logged at "
      "most once a second per reason)",
      request_id.empty() ? "(undecodable)" : request_id, caller_id,
      choria::to_string(reason), stats_.rejections(reason));
}

}  // namespace gateway::sim

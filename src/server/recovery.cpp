#include "gateway/server/recovery.hpp"

#include <chrono>
#include <set>

#include "gateway/common/logging.hpp"

namespace gateway {
namespace {

// Every sender with a stored reply for request_id.
std::optional<std::set<std::string>> stored_senders(
    const storage::event_store& store, const std::string& request_id) {
  std::set<std::string> senders;
  std::string cursor;
  do {
    std::string error;
    auto page = store.replies(request_id, cursor, 1000, &error);
    if (!page) {
      logger("recovery")->error("request {}: cannot read replies: {}",
                                request_id, error);
      return std::nullopt;
    }
    for (const auto& reply : page->replies)
      if (reply.contains("sender") && reply["sender"].is_string())
        senders.insert(reply["sender"].get<std::string>());
    cursor = page->next_cursor;
  } while (!cursor.empty());
  return senders;
}

}  // namespace

std::size_t recover_unfinished(storage::event_store& store) {
  std::size_t ended = 0;
  for (const auto& request_id : store.unfinished_requests()) {
    auto status = store.request_status(request_id);
    auto senders = stored_senders(store, request_id);
    if (!status || !senders) continue;

    nlohmann::json silent = nlohmann::json::array();
    for (const auto& node : store.expected_nodes(request_id))
      if (!senders->count(node)) silent.push_back(node);

    storage::event event;
    event.kind = storage::event_kind::request_expired;
    event.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    event.request_id = request_id;
    event.caller = status->value("caller", "");
    event.data = {{"no_response", std::move(silent)},
                  {"reason", "the gateway restarted during the request"}};
    std::vector<storage::event> batch{std::move(event)};
    if (auto error = store.append(batch)) {
      logger("recovery")->error("request {}: cannot end it: {}", request_id,
                                *error);
      continue;
    }
    ++ended;
  }
  return ended;
}

}  // namespace gateway

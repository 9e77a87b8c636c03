#include "actors/history_reader.hpp"

#include <set>

namespace gateway {
namespace {

using storage::event_store;

caf::error page_error(const std::string& error) {
  auto code = error == "invalid cursor" || error == "invalid limit"
                  ? gateway_errc::invalid
                  : gateway_errc::storage_failed;
  return make_error(code, error);
}

// Reads every reply of request_id into failed (senders whose statuscode
// is not 0) and answered (every sender).
std::optional<std::string> read_senders(const event_store& store,
                                        const std::string& request_id,
                                        std::set<std::string>& failed,
                                        std::set<std::string>& answered) {
  std::string cursor;
  do {
    std::string error;
    auto page = store.replies(request_id, cursor, 1000, &error);
    if (!page) return error;
    for (const auto& reply : page->replies) {
      auto sender = reply.find("sender");
      if (sender == reply.end() || !sender->is_string()) continue;
      answered.insert(sender->get<std::string>());
      auto code = reply.find("statuscode");
      if (code != reply.end() && code->is_number_integer() && *code != 0)
        failed.insert(sender->get<std::string>());
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  return std::nullopt;
}

caf::result<replay_plan> plan_replay(const event_store& store,
                                     const std::string& request_id,
                                     const std::string& targets) {
  auto accepted = store.accepted_event(request_id);
  if (!accepted)
    return make_error(gateway_errc::not_found,
                      "request " + request_id + " not found");
  replay_plan plan{accepted->data, accepted->caller, {}};
  if (targets == "all") return plan;

  std::set<std::string> failed;
  std::set<std::string> answered;
  if (auto error = read_senders(store, request_id, failed, answered))
    return make_error(gateway_errc::storage_failed, *error);
  if (targets == "failed") {
    plan.nodes.assign(failed.begin(), failed.end());
    return plan;
  }
  std::string error;
  for (const auto& node : store.expected_nodes(request_id, &error))
    if (!answered.count(node)) plan.nodes.push_back(node);
  if (!error.empty()) return make_error(gateway_errc::storage_failed, error);
  return plan;
}

history_reader_actor::behavior_type history_reader(
    history_reader_actor::pointer self,
    std::shared_ptr<const event_store> store) {
  return {
      [store](history_atom,
              const storage::history_query& query) -> caf::result<
                                                       history_result> {
        std::string error;
        auto page = store->history(query, &error);
        if (!page) return page_error(error);
        return history_result{std::move(page->requests),
                              std::move(page->next_cursor)};
      },
      [store](audit_atom,
              const storage::audit_query& query) -> caf::result<audit_result> {
        std::string error;
        auto page = store->audit(query, &error);
        if (!page) return page_error(error);
        return audit_result{std::move(page->entries),
                            std::move(page->next_cursor)};
      },
      [store](replay_atom, const std::string& request_id,
              const std::string& targets) -> caf::result<replay_plan> {
        return plan_replay(*store, request_id, targets);
      },
  };
}

}  // namespace

history_reader_actor spawn_history_reader(
    caf::actor_system& system, std::shared_ptr<const event_store> store) {
  return system.spawn<caf::detached>(history_reader, std::move(store));
}

}  // namespace gateway

#include "gateway/server/recovery.hpp"

#include <cstdio>
#include <ctime>
#include <set>

#include "gateway/common/logging.hpp"
#include "gateway/storage/request_status.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;

// The shortest collection a resumed unpublished request may have left.
constexpr std::int64_t minimum_collection_ms = 1000;

// Every sender with a stored reply for request_id.
std::optional<std::vector<std::string>> stored_senders(
    const storage::event_store& store, const std::string& request_id) {
  std::vector<std::string> senders;
  std::uint64_t after = 0;
  while (true) {
    std::string error;
    auto page = store.replies_after(request_id, after, 1000, &error);
    if (!page) {
      logger("recovery")
          ->error("request {}: cannot read replies: {}", request_id, error);
      return std::nullopt;
    }
    for (const auto& entry : *page) {
      auto sender = entry.reply.find("sender");
      if (sender != entry.reply.end() && sender->is_string())
        senders.push_back(sender->get<std::string>());
      after = entry.sequence;
    }
    if (page->size() < 1000) return senders;
  }
}

std::int64_t integer_field(const json& data, const char* key) {
  auto found = data.find(key);
  if (found == data.end() || !found->is_number_integer()) return 0;
  return found->get<std::int64_t>();
}

// The end of an unpublished request's time budget.
std::int64_t budget_end_ms(const storage::event& accepted) {
  const json& data = accepted.data;
  bool discovering = data.value("discovering", false);
  std::int64_t seconds = integer_field(data, "timeout");
  if (discovering) seconds += integer_field(data, "discovery_timeout");
  return accepted.time_ms + seconds * 1000;
}

// True if a fresh discovery plus a useful collection still fit the budget.
bool budget_allows_publish(const storage::event& accepted,
                           std::int64_t now_ms) {
  std::int64_t needed = minimum_collection_ms;
  if (accepted.data.value("discovering", false))
    needed += integer_field(accepted.data, "discovery_timeout") * 1000;
  return now_ms + needed <= budget_end_ms(accepted);
}

bool end_request(storage::event_store& store, const std::string& request_id,
                 const std::string& caller, storage::event_kind kind, json data,
                 std::int64_t now_ms) {
  storage::event event;
  event.kind = kind;
  event.time_ms = now_ms;
  event.request_id = request_id;
  event.caller = caller;
  event.data = std::move(data);
  std::vector<storage::event> batch{std::move(event)};
  if (auto error = store.append(batch)) {
    logger("recovery")
        ->error("request {}: cannot end it: {}", request_id, *error);
    return false;
  }
  return true;
}

json silent_nodes(const std::vector<std::string>& expected,
                  const std::vector<std::string>& answered) {
  std::set<std::string> replied(answered.begin(), answered.end());
  json silent = json::array();
  for (const auto& node : expected)
    if (!replied.contains(node)) silent.push_back(node);
  return silent;
}

// Decides one request; adds it to result.
void recover_one(storage::event_store& store, const std::string& request_id,
                 std::int64_t now_ms, recovery_result& result) {
  auto status = store.request_status(request_id);
  auto accepted = store.accepted_event(request_id);
  if (!status || !accepted) {
    logger("recovery")
        ->error(
            "request {}: its status or request_accepted "
            "event cannot be read; left unfinished",
            request_id);
    ++result.errors;
    return;
  }
  std::string caller = status->value("caller", "");

  resume_order order;
  order.request_id = request_id;
  order.published =
      status->contains("published_at") && (*status)["published_at"].is_string();
  if (!order.published) {
    if (!budget_allows_publish(*accepted, now_ms)) {
      json data = {{"reason",
                    "the gateway restarted before publishing the "
                    "request and its deadline has passed"}};
      if (end_request(store, request_id, caller,
                      storage::event_kind::request_failed, std::move(data),
                      now_ms))
        ++result.failed;
      return;
    }
    order.deadline_ms = budget_end_ms(*accepted);
    order.accepted = std::move(*accepted);
    result.resume.push_back(std::move(order));
    return;
  }

  std::string error;
  order.expected = store.expected_nodes(request_id, &error);
  auto senders = stored_senders(store, request_id);
  auto deadline =
      status->contains("deadline") && (*status)["deadline"].is_string()
          ? parse_utc_timestamp((*status)["deadline"].get<std::string>())
          : std::nullopt;
  if (!error.empty() || !senders) {
    logger("recovery")
        ->error("request {}: cannot read its nodes: {}", request_id, error);
    ++result.errors;
    return;
  }
  order.answered = std::move(*senders);
  order.deadline_ms = deadline.value_or(now_ms);
  if (order.deadline_ms > now_ms) {
    order.accepted = std::move(*accepted);
    result.resume.push_back(std::move(order));
    return;
  }

  json data = {{"no_response", silent_nodes(order.expected, order.answered)},
               {"reason", "the deadline passed while the gateway was down"}};
  if (end_request(store, request_id, caller,
                  storage::event_kind::request_expired, std::move(data),
                  now_ms))
    ++result.expired;
}

}  // namespace

recovery_result recover_unfinished(storage::event_store& store,
                                   std::int64_t now_ms) {
  recovery_result result;
  std::string error;
  auto unfinished = store.unfinished_requests(&error);
  if (!error.empty())
    logger("recovery")
        ->error("reading the unfinished requests failed: {}", error);
  for (const auto& request_id : unfinished)
    recover_one(store, request_id, now_ms, result);
  return result;
}

std::optional<std::int64_t> parse_utc_timestamp(std::string_view text) {
  std::tm parts{};
  int millis = 0;
  int consumed = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n",
                  &parts.tm_year, &parts.tm_mon, &parts.tm_mday, &parts.tm_hour,
                  &parts.tm_min, &parts.tm_sec, &millis, &consumed) != 7 ||
      consumed != static_cast<int>(copy.size()))
    return std::nullopt;
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  std::time_t seconds = timegm(&parts);
  if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
  return static_cast<std::int64_t>(seconds) * 1000 + millis;
}

}  // namespace gateway

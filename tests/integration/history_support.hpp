// HTTP helpers for the history, replay, idempotency and audit tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway_stack.hpp"

namespace gateway::integration {

inline http_result get_as(const gateway_stack& stack, const std::string& token,
                          const std::string& target) {
  http_call call;
  call.target = target;
  call.bearer_token = token;
  return stack.http(call);
}

inline http_result post_as(
    const gateway_stack& stack, const std::string& token,
    const std::string& target, const std::string& body,
    std::vector<std::pair<std::string, std::string>> headers = {}) {
  http_call call;
  call.method = "POST";
  call.target = target;
  call.body = body;
  call.bearer_token = token;
  call.headers = std::move(headers);
  return stack.http(call);
}

// The request ids of every history page of target (which has a query
// string and no cursor), in order. A status other than 200 fails the test.
inline std::vector<std::string> history_ids(const gateway_stack& stack,
                                            const std::string& token,
                                            const std::string& target) {
  std::vector<std::string> ids;
  std::string cursor;
  for (int pages = 0; pages < 1000; ++pages) {
    auto result = get_as(stack, token,
                         target + (cursor.empty() ? "" : "&cursor=" + cursor));
    EXPECT_EQ(result.status, 200u) << result.body;
    auto body = result.json();
    if (result.status != 200 || !body.is_object()) break;
    for (const auto& row : body["requests"])
      ids.push_back(row.value("request_id", ""));
    if (!body["next_cursor"].is_string()) break;
    cursor = body["next_cursor"].get<std::string>();
  }
  return ids;
}

}  // namespace gateway::integration

// Small readers of status records and reply pages for the integration
// tests.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gateway::integration {

// The senders of every reply on every page, in page order.
inline std::vector<std::string> senders_of(
    const std::vector<nlohmann::json>& pages) {
  std::vector<std::string> senders;
  for (const auto& page : pages) {
    if (!page.contains("replies") || !page["replies"].is_array()) continue;
    for (const auto& reply : page["replies"])
      senders.push_back(reply.value("sender", ""));
  }
  return senders;
}

// The number of replies on one page, or -1 when it has no replies array.
inline int reply_count(const nlohmann::json& page) {
  if (!page.contains("replies") || !page["replies"].is_array()) return -1;
  return static_cast<int>(page["replies"].size());
}

// The error message of an error body, or an empty string.
inline std::string error_message(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("error") ||
      !body["error"].is_object())
    return "";
  return body["error"].value("message", "");
}

// The error code of an error body, or an empty string.
inline std::string error_code(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("error") ||
      !body["error"].is_object())
    return "";
  return body["error"].value("code", "");
}

}  // namespace gateway::integration

// A blocking HTTP/1.1 client for the integration tests: one connection per
// call, each step bounded by a deadline, so a gateway that never answers
// fails the test instead of hanging it.
#pragma once

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace gateway::integration {

struct http_result {
  unsigned status = 0;  // 0 when the call failed before a response
  std::string body;
  std::string error;  // why the call failed, when status is 0
  std::vector<std::pair<std::string, std::string>> headers;  // as received

  // The value of the first header field with this name, compared without
  // letter case, or "" when there is none.
  [[nodiscard]] std::string header(const std::string& name) const {
    for (const auto& [field, value] : headers)
      if (field.size() == name.size() &&
          std::equal(field.begin(), field.end(), name.begin(),
                     [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) ==
                              std::tolower(static_cast<unsigned char>(b));
                     }))
        return value;
    return "";
  }

  // The body parsed as JSON; a discarded value when it is not JSON.
  [[nodiscard]] nlohmann::json json() const {
    return nlohmann::json::parse(body, nullptr, false);
  }
};

struct http_call {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  std::string bearer_token;  // sent as Authorization: Bearer when set
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::seconds deadline{10};
};

// Sends call to 127.0.0.1:port and reads the response.
[[nodiscard]] http_result send_http(unsigned short port, const http_call& call);

}  // namespace gateway::integration

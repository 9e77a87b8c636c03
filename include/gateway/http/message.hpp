// HTTP request and response values passed between the server and its
// handler. They are plain data: copyable and safe to move across threads.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gateway::http {

// One parsed request, owned by the handler once it is delivered.
struct request {
  std::string method;  // "GET", "POST", ... as sent by the client
  std::string path;    // percent-decoded path, without the query
  std::map<std::string, std::string> query;    // percent-decoded; first wins
  std::set<std::string> repeated_query;        // query keys sent more than once
  std::map<std::string, std::string> headers;  // lowercase names; repeated
                                               // fields joined with ", "
  std::string body;
  std::string remote_address;  // peer IP address, without the port
};

// One complete response. The server adds Content-Length, Connection and
// Content-Type (from content_type) itself.
struct response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

// Builds a response with status and an application/json body.
[[nodiscard]] response json_response(unsigned status, std::string body);

// Builds a response with the JSON body {"error":{"code":..,"message":..}}.
[[nodiscard]] response error_response(unsigned status, std::string_view code,
                                      std::string_view message);

}  // namespace gateway::http

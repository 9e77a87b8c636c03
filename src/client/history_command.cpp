// history: list earlier requests, newest first.
#include <iomanip>
#include <iostream>

#include "gateway/client/rpc_output.hpp"
#include "src/client/commands.hpp"

namespace gateway::client {
namespace {

using json = nlohmann::json;

// At most this many requests are asked for per page.
constexpr int page_size = 100;

std::string query_of(const history_options& history) {
  std::string query;
  auto add = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    query += (query.empty() ? "?" : "&") + std::string(name) + "=" +
             url_encode(value);
  };
  add("agent", history.agent);
  add("action", history.action);
  add("caller", history.caller);
  add("state", history.state);
  add("since", history.since);
  add("until", history.until);
  return query;
}

void print_table(const json& requests) {
  std::cout << std::left << std::setw(33) << "REQUEST ID" << std::setw(25)
            << "CREATED" << std::setw(13) << "CALLER" << std::setw(24)
            << "ACTION" << std::setw(10) << "STATE"
            << "OK/FAILED/EXPECTED\n";
  for (const auto& request : requests) {
    std::cout << std::setw(33) << text_field(request, "request_id")
              << std::setw(25) << text_field(request, "created_at")
              << std::setw(13) << text_field(request, "caller") << std::setw(24)
              << text_field(request, "agent") + "." +
                     text_field(request, "action")
              << std::setw(10) << text_field(request, "state")
              << count_field(request, "ok") << "/"
              << count_field(request, "failed") << "/"
              << count_field(request, "expected") << "\n";
  }
  std::cout << std::flush;
}

}  // namespace

int run_history(const global_options& options, const history_options& history) {
  reporter out(options.json);
  int exit_code = exit_error;
  auto session = api_session::open(options, out, &exit_code);
  if (!session) return exit_code;
  if (!session->has_token()) return session->missing_token();

  json requests = json::array();
  std::string filters = query_of(history);
  std::string cursor;
  do {
    int wanted =
        history.limit == 0
            ? page_size
            : std::min(page_size,
                       history.limit - static_cast<int>(requests.size()));
    std::string target = "/v1/requests" + filters +
                         (filters.empty() ? "?" : "&") +
                         "limit=" + std::to_string(wanted);
    if (!cursor.empty()) target += "&cursor=" + url_encode(cursor);
    auto response = session->call("GET", target);
    if (response.status != 200) return session->fail(response);
    json page = response.json();
    if (!page.is_object() || !page.contains("requests") ||
        !page["requests"].is_array())
      return out.error("bad_response",
                       "the history page has no requests array");
    for (auto& request : page["requests"]) requests.push_back(request);
    cursor = text_field(page, "next_cursor");
  } while (!cursor.empty() &&
           (history.limit == 0 ||
            static_cast<int>(requests.size()) < history.limit));

  if (out.json()) {
    out.document({{"requests", requests}});
  } else if (requests.empty()) {
    std::cout << "No requests match." << std::endl;
  } else {
    print_table(requests);
  }
  return exit_success;
}

}  // namespace gateway::client

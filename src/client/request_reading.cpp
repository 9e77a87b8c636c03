// Reading a request's status and replies, and waiting for it to finish.
#include <unistd.h>

#include <iostream>
#include <thread>

#include "gateway/client/progress_bar.hpp"
#include "gateway/client/rpc_output.hpp"
#include "gateway/client/terminal.hpp"
#include "src/client/commands.hpp"

namespace gateway::client {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// The status is read this often while a request runs.
constexpr auto poll_interval = 200ms;

}  // namespace

int check_request_id(const reporter& out, const std::string& request_id) {
  bool valid =
      request_id.size() == 32 &&
      request_id.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (valid) return exit_success;
  return out.error("usage", "invalid request id " + request_id +
                                ": request ids are 32 lowercase hex "
                                "characters, as printed by `choria-gw req`");
}

int read_status(const api_session& session, const std::string& request_id,
                json* status) {
  auto response = session.call("GET", "/v1/requests/" + request_id);
  if (response.status != 200) return session.fail(response);
  *status = response.json();
  if (!status->is_object()) {
    http_response bad = response;
    bad.status = 0;
    bad.error = "the status response is not a JSON object";
    return session.fail(bad);
  }
  return exit_success;
}

int read_all_replies(const api_session& session, const std::string& request_id,
                     int page_size, json* replies) {
  *replies = json::array();
  std::string cursor;
  do {
    std::string target = "/v1/requests/" + request_id +
                         "/replies?limit=" + std::to_string(page_size);
    if (!cursor.empty()) target += "&cursor=" + url_encode(cursor);
    auto response = session.call("GET", target);
    if (response.status != 200) return session.fail(response);
    json page = response.json();
    if (!page.is_object() || !page.contains("replies") ||
        !page["replies"].is_array()) {
      http_response bad = response;
      bad.status = 0;
      bad.error = "the reply page has no replies array";
      return session.fail(bad);
    }
    for (auto& reply : page["replies"]) replies->push_back(std::move(reply));
    cursor = text_field(page, "next_cursor");
  } while (!cursor.empty());
  return exit_success;
}

int follow_request(const api_session& session, const reporter& out,
                   const std::string& request_id, bool progress) {
  bool draw = progress && !out.json() && is_terminal(STDOUT_FILENO);
  progress_bar bar(std::cout, terminal_width(STDOUT_FILENO, 80));
  json status;
  while (true) {
    int code = read_status(session, request_id, &status);
    if (code != exit_success) {
      bar.finish();
      return code;
    }
    if (draw) bar.update(status);
    if (is_finished_state(text_field(status, "state"))) break;
    std::this_thread::sleep_for(poll_interval);
  }
  bar.finish();

  json replies;
  int code = read_all_replies(session, request_id, 500, &replies);
  if (code != exit_success) return code;
  if (out.json()) {
    out.document({{"request", status}, {"replies", replies}});
  } else {
    bool colour = use_colour(STDOUT_FILENO);
    for (const auto& reply : replies) print_reply(std::cout, reply, colour);
    print_no_response(std::cout, status, colour);
    print_summary(std::cout, status, colour);
    std::cout << "Request ID: " << request_id << std::endl;
  }
  return outcome_exit_status(status);
}

}  // namespace gateway::client

// watch: follow a request's replies as they arrive.
#include <unistd.h>

#include <iostream>

#include "gateway/client/event_stream_parser.hpp"
#include "gateway/client/rpc_output.hpp"
#include "gateway/client/terminal.hpp"
#include "src/client/commands.hpp"

namespace gateway::client {
namespace {

using json = nlohmann::json;

bool is_reply(const json& data) {
  return data.is_object() && data.contains("sender");
}

// True for the event that ends the stream: one whose data is a status
// record of a finished request.
bool is_final(const server_event& event, const json& data) {
  if (event.event == "end" || event.event == "complete" ||
      event.event == "done")
    return true;
  return data.is_object() && !is_reply(data) &&
         is_finished_state(text_field(data, "state"));
}

}  // namespace

int run_watch(const global_options& options, const std::string& request_id) {
  reporter out(options.json);
  if (check_request_id(out, request_id) != exit_success) return exit_error;
  int exit_code = exit_error;
  auto session = api_session::open(options, out, &exit_code);
  if (!session) return exit_code;
  if (!session->has_token()) return session->missing_token();

  // The status first: a request that does not exist gets its 404 here, so
  // that a 404 from the stream below means the gateway lacks the route.
  json status;
  exit_code = read_status(*session, request_id, &status);
  if (exit_code != exit_success) return exit_code;

  bool colour = use_colour(STDOUT_FILENO);
  bool ended = false;
  std::string stream_error;
  event_stream_parser parser([&](const server_event& event) {
    json data = json::parse(event.data, nullptr, false);
    if (event.event == "error") {
      // The gateway ends the stream with an error event when it cannot go
      // on, such as when the reader falls too far behind.
      stream_error = data.is_object() && data.contains("error")
                         ? text_field(data["error"], "message")
                         : event.data;
      return false;
    }
    if (out.json()) {
      out.document({{"event", event.event},
                    {"id", event.id},
                    {"data", data.is_discarded() ? json(event.data) : data}});
    } else if (is_reply(data)) {
      print_reply(std::cout, data, colour);
      std::cout << std::flush;
    }
    ended = is_final(event, data);
    return !ended;
  });
  auto response = session->stream(
      "/v1/requests/" + request_id + "/events", "text/event-stream",
      [&](std::string_view piece) { return parser.feed(piece); });
  if (response.status == 404 || response.status == 405) {
    out.note(
        "This gateway has no event stream; waiting for the request to "
        "finish instead.");
    return follow_request(*session, out, request_id, true);
  }
  if (response.status / 100 != 2) return session->fail(response);
  if (!response.error.empty()) {
    response.status = 0;
    return session->fail(response);
  }
  if (!stream_error.empty())
    return out.error("stream_failed",
                     "the event stream ended with an error: " + stream_error +
                         "; run `choria-gw results " + request_id +
                         "` for the replies so far");

  // The final summary comes from the status, which also lists the silent
  // nodes.
  exit_code = read_status(*session, request_id, &status);
  if (exit_code != exit_success) return exit_code;
  if (!out.json()) {
    print_no_response(std::cout, status, colour);
    if (is_finished_state(text_field(status, "state")))
      print_summary(std::cout, status, colour);
    else
      std::cout << "The stream ended while the request is "
                << text_field(status, "state") << "." << std::endl;
  }
  if (!ended && !is_finished_state(text_field(status, "state")))
    return exit_error;
  return outcome_exit_status(status);
}

}  // namespace gateway::client

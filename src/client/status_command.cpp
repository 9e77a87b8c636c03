// status and results: read a request that was submitted earlier.
#include <unistd.h>

#include <iostream>

#include "gateway/client/rpc_output.hpp"
#include "gateway/client/terminal.hpp"
#include "src/client/commands.hpp"

namespace gateway::client {
namespace {

using json = nlohmann::json;

void print_status(const json& status) {
  auto line = [](const char* label, const std::string& value) {
    std::cout << "  " << label << value << "\n";
  };
  auto text = [&](const char* name) {
    std::string value = text_field(status, name);
    return value.empty() ? std::string("-") : value;
  };
  auto count = [&](const char* name) {
    return std::to_string(count_field(status, name));
  };
  std::cout << "Request " << text("request_id") << "\n";
  line("state:      ", text("state"));
  line("action:     ", text("agent") + "." + text("action"));
  line("caller:     ", text("caller"));
  line("collective: ", text("collective"));
  line("created:    ", text("created_at"));
  line("completed:  ", text("completed_at"));
  line("expected:   ", count("expected"));
  line("received:   ", count("received") + " (" + count("ok") + " ok, " +
                           count("failed") + " failed)");
  if (count_field(status, "unexpected") > 0)
    line("unexpected: ", count("unexpected"));
  std::string reason = text_field(status, "reason");
  if (!reason.empty()) line("reason:     ", reason);
  std::cout << "\n";
  print_no_response(std::cout, status, use_colour(STDOUT_FILENO));
  std::cout << std::flush;
}

// The exit status of status and results: the outcome of a finished
// request, success while it runs.
int exit_status_of(const json& status) {
  if (!is_finished_state(text_field(status, "state"))) return exit_success;
  return outcome_exit_status(status);
}

}  // namespace

int run_status(const global_options& options, const std::string& request_id) {
  reporter out(options.json);
  if (check_request_id(out, request_id) != exit_success) return exit_error;
  int exit_code = exit_error;
  auto session = api_session::open(options, out, &exit_code);
  if (!session) return exit_code;
  if (!session->has_token()) return session->missing_token();

  json status;
  exit_code = read_status(*session, request_id, &status);
  if (exit_code != exit_success) return exit_code;
  if (out.json()) {
    out.document(status);
  } else {
    print_status(status);
  }
  return exit_status_of(status);
}

int run_results(const global_options& options, const results_options& results) {
  reporter out(options.json);
  if (check_request_id(out, results.request_id) != exit_success)
    return exit_error;
  int exit_code = exit_error;
  auto session = api_session::open(options, out, &exit_code);
  if (!session) return exit_code;
  if (!session->has_token()) return session->missing_token();

  // The status is read first: when it shows the request finished, the
  // pages read next contain every reply it counts.
  json status;
  exit_code = read_status(*session, results.request_id, &status);
  if (exit_code != exit_success) return exit_code;
  json replies;
  exit_code = read_all_replies(*session, results.request_id, results.page_size,
                               &replies);
  if (exit_code != exit_success) return exit_code;

  if (out.json()) {
    out.document({{"request", status}, {"replies", replies}});
  } else {
    bool colour = use_colour(STDOUT_FILENO);
    for (const auto& reply : replies) print_reply(std::cout, reply, colour);
    print_no_response(std::cout, status, colour);
    if (is_finished_state(text_field(status, "state"))) {
      print_summary(std::cout, status, colour);
    } else {
      std::cout << "The request is still " << text_field(status, "state")
                << ": " << replies.size() << " replies so far." << std::endl;
    }
  }
  return exit_status_of(status);
}

}  // namespace gateway::client

// replay: submit an earlier request again, to all or some of its nodes.
#include <iostream>

#include "gateway/client/rpc_output.hpp"
#include "gateway/client/submit.hpp"
#include "src/client/commands.hpp"

namespace gateway::client {

int run_replay(const global_options& options, const replay_options& replay) {
  reporter out(options.json);
  if (check_request_id(out, replay.request_id) != exit_success)
    return exit_error;
  if (replay.failed && replay.no_response)
    return out.error("usage",
                     "--failed and --no-response exclude each other; replay "
                     "twice to cover both");
  std::string key = replay.idempotency_key.empty() ? make_idempotency_key()
                                                   : replay.idempotency_key;
  if (!valid_idempotency_key(key))
    return out.error("usage",
                     "--idempotency-key must be 1 to 255 printable ASCII "
                     "characters without spaces");
  int exit_code = exit_error;
  auto session = api_session::open(options, out, &exit_code);
  if (!session) return exit_code;
  if (!session->has_token()) return session->missing_token();

  std::string targets = replay.failed        ? "failed"
                        : replay.no_response ? "no_response"
                                             : "all";
  nlohmann::json body = {{"targets", targets}};
  auto response = submit_with_retry(
      *session, out, "/v1/requests/" + replay.request_id + "/replay",
      body.dump(), key);
  if (response.status != 202 && response.status != 200)
    return session->fail(response);
  nlohmann::json accepted = response.json();
  std::string request_id = text_field(accepted, "request_id");
  if (request_id.empty())
    return out.error("bad_response",
                     "the gateway accepted the replay but returned no "
                     "request_id");

  if (replay.no_wait) {
    if (out.json()) {
      accepted["idempotency_key"] = key;
      out.document(accepted);
    } else {
      std::cout << request_id << std::endl;
    }
    return exit_success;
  }
  return follow_request(*session, out, request_id, !replay.no_progress);
}

}  // namespace gateway::client

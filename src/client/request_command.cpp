// req: submit an RPC request, then wait for it or print its id.
#include <fstream>
#include <iostream>
#include <sstream>

#include "gateway/client/rpc_output.hpp"
#include "gateway/client/submit.hpp"
#include "src/client/commands.hpp"

namespace gateway::client {
namespace {

using json = nlohmann::json;

// Reads the --nodes file ("-" is standard input) into *nodes. Returns an
// error message, empty on success.
std::string read_nodes_file(const std::string& path,
                            std::vector<std::string>* nodes) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream input(path);
    if (!input) return "cannot read the node list " + path;
    text << input.rdbuf();
  }
  *nodes = parse_node_list(text.str());
  if (nodes->empty())
    return "the node list " + path + " names no node (one name a line)";
  return "";
}

}  // namespace

int run_request(const global_options& options, request_options& request) {
  reporter out(options.json);
  if (!request.nodes_file.empty()) {
    auto error = read_nodes_file(request.nodes_file, &request.request.nodes);
    if (!error.empty()) return out.error("usage", error);
  }
  std::string error;
  auto body = make_request_body(request.request, &error);
  if (!body) return out.error("usage", error);
  std::string key = request.idempotency_key.empty() ? make_idempotency_key()
                                                    : request.idempotency_key;
  if (!valid_idempotency_key(key))
    return out.error("usage",
                     "--idempotency-key must be 1 to 255 printable ASCII "
                     "characters without spaces");

  int exit_code = exit_error;
  auto session = api_session::open(options, out, &exit_code);
  if (!session) return exit_code;
  if (!session->has_token()) return session->missing_token();

  auto response =
      submit_with_retry(*session, out, "/v1/requests", body->dump(), key);
  if (response.status != 202 && response.status != 200)
    return session->fail(response);
  json accepted = response.json();
  std::string request_id = text_field(accepted, "request_id");
  if (request_id.empty())
    return out.error("bad_response",
                     "the gateway accepted the request but "
                     "returned no request_id");

  if (request.no_wait) {
    if (out.json()) {
      accepted["idempotency_key"] = key;
      out.document(accepted);
    } else {
      std::cout << request_id << std::endl;
    }
    return exit_success;
  }
  return follow_request(*session, out, request_id, !request.no_progress);
}

}  // namespace gateway::client

// POST /v1/requests/{id}/replay: the original request_accepted event
// becomes a new rpc_request, which is admitted like a fresh submit.
#include "gateway/common/json_body.hpp"
#include "src/server/api_history.hpp"
#include "src/server/api_submit.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;

// Reads {"targets": ...} from body; "all" when the body is empty or has
// no targets. Returns an empty string and sets *error when invalid.
std::string read_targets(const std::string& body, std::string* error) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return "all";
  auto document = parse_json_body(body, error);
  if (!document) return "";
  const json& parsed = *document;
  if (!parsed.is_object()) {
    *error = "the body must be a JSON object such as {\"targets\": \"failed\"}";
    return "";
  }
  for (const auto& item : parsed.items()) {
    if (item.key() != "targets") {
      *error = "unknown field " + item.key() + "; the only field is targets";
      return "";
    }
  }
  auto targets = parsed.find("targets");
  if (targets == parsed.end()) return "all";
  std::string value = targets->is_string() ? targets->get<std::string>() : "";
  if (value != "all" && value != "failed" && value != "no_response") {
    *error = "targets must be \"all\", \"failed\" or \"no_response\"";
    return "";
  }
  return value;
}

std::int64_t integer_or(const json& data, const char* key,
                        std::int64_t fallback) {
  auto it = data.find(key);
  return it != data.end() && it->is_number_integer() ? it->get<std::int64_t>()
                                                     : fallback;
}

std::vector<std::string> strings_of(const json& data, const char* key) {
  std::vector<std::string> out;
  auto it = data.find(key);
  if (it == data.end() || !it->is_array()) return out;
  for (const auto& item : *it)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

// The request to submit for plan; nodes from the plan replace the
// original targets unless targets is "all".
std::optional<rpc_request> replay_request(const replay_plan& plan,
                                          const std::string& targets,
                                          const settings& config,
                                          std::string* error) {
  const json& data = plan.accepted;
  rpc_request out;
  out.agent = data.value("agent", "");
  out.action = data.value("action", "");
  out.collective = data.value("collective", config.main_collective);
  auto inputs = data.find("data");
  if (inputs != data.end() && inputs->is_object()) out.data = *inputs;
  out.timeout_seconds =
      integer_or(data, "timeout", config.default_timeout_seconds);
  out.discovery_timeout_seconds = integer_or(
      data, "discovery_timeout", config.default_discovery_timeout_seconds);
  out.ttl_seconds = integer_or(data, "ttl", out.ttl_seconds);
  if (targets != "all") {
    out.nodes = plan.nodes;
    return out;
  }
  out.nodes = strings_of(data, "nodes");
  auto filter = data.find("filter");
  if (filter != data.end() && filter->is_object()) {
    auto parsed = choria::filter_from_json(*filter, error);
    if (!parsed) return std::nullopt;
    out.target = std::move(*parsed);
  }
  return out;
}

void replay(caf::event_based_actor* self, const context_ptr& context,
            const identity& caller, const std::string& request_id,
            const std::string& targets,
            const std::optional<idempotency_claim>& claim,
            const http::responder& respond) {
  self->request(context->history, std::chrono::seconds(30),
                replay_atom::value, request_id, targets)
      .then(
          [self, context, caller, request_id, targets, claim,
           respond](const replay_plan& plan) {
            json owner = {{"caller", plan.owner}};
            if (!visible_to(*context, owner, caller))
              return respond(request_not_found(request_id));
            if (targets != "all" && plan.nodes.empty())
              return respond(http::error_response(
                  409, "nothing_to_replay",
                  "request " + request_id + " has no " +
                      (targets == "failed" ? "failed nodes"
                                           : "nodes without a reply") +
                      " to replay"));
            std::string error;
            auto rpc = replay_request(plan, targets, context->config, &error);
            if (!rpc)
              return respond(http::error_response(
                  500, "internal_error",
                  "the stored request cannot be replayed: " + error));
            rpc->caller = caller.username;
            rpc->accepted_extra = {{"replay_of", request_id},
                                   {"targets", targets}};
            admit_request(self, context, caller, std::move(*rpc), claim,
                          respond);
          },
          respond_error(context, respond));
}

}  // namespace

void handle_replay(const context_ptr& context, const http::request& request,
                   const std::string& request_id,
                   const http::responder& respond) {
  if (!valid_request_id(request_id))
    return respond(request_not_found(request_id));
  std::string error;
  auto targets = read_targets(request.body, &error);
  if (targets.empty())
    return respond(http::error_response(400, "invalid_request", error));
  std::optional<idempotency_claim> claim;
  // An empty body, {} and {"targets": "all"} request the same replay, so
  // the Idempotency-Key hash covers the targets that were read.
  const std::string canonical_body = json{{"targets", targets}}.dump();
  if (!read_idempotency_key(request, canonical_body, claim, &error))
    return respond(http::error_response(400, "invalid_request", error));

  authenticated(context, request, respond,
                [context, request_id, targets, claim, respond](
                    caf::event_based_actor* self, const identity& caller) {
    replay(self, context, caller, request_id, targets, claim, respond);
  });
}

}  // namespace gateway

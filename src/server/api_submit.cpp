#include "src/server/api_submit.hpp"

#include <chrono>

#include "gateway/common/encoding.hpp"
#include "gateway/common/json_body.hpp"
#include "src/server/api_broker_gate.hpp"
#include "src/server/api_limits.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;

constexpr std::size_t max_idempotency_key_size = 255;

json accepted_body(const std::string& request_id, const std::string& state) {
  return {{"request_id", request_id},
          {"state", state},
          {"status_url", "/v1/requests/" + request_id},
          {"replies_url", "/v1/requests/" + request_id + "/replies"}};
}

}  // namespace

void record_denial(const context_ptr& context, const rpc_request& rpc,
                   const std::string& reason, const std::string& error_code) {
  storage::event event;
  event.kind = storage::event_kind::request_denied;
  event.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  event.caller = rpc.caller;
  event.data = {{"agent", rpc.agent},
                {"action", rpc.action},
                {"collective", rpc.collective},
                {"reason", reason}};
  if (!error_code.empty()) event.data["code"] = error_code;
  if (rpc.accepted_extra.contains("replay_of"))
    event.data["replay_of"] = rpc.accepted_extra["replay_of"];
  caf::anon_send(context->deps.event_log, append_atom::value,
                 std::vector<storage::event>{std::move(event)});
}

namespace {

// Starts a collector for rpc and calls done(request id, state) once its
// request_accepted event is written, or done("", "") on failure after
// responding with the error.
template <class F>
void start_request(caf::event_based_actor* self, const context_ptr& context,
                   rpc_request rpc, const http::responder& respond, F done) {
  auto request_id = make_request_id();
  const auto caller = rpc.caller;
  auto collector = spawn_collector(*context->system, context->deps, request_id,
                                   std::move(rpc));
  release_slot_on_exit(context, collector, caller);
  self->request(collector, std::chrono::seconds(30), start_atom::value)
      .then(
          [request_id, respond, done](const std::string& state) {
            done(request_id, state);
            respond(json_response(202, accepted_body(request_id, state)));
          },
          [context, respond, done](const caf::error& error) {
            done("", "");
            respond(from_error(*context->system, error));
          });
}

void check_and_start(caf::event_based_actor* self, const context_ptr& context,
                     const identity& caller, rpc_request rpc,
                     const http::responder& respond,
                     std::function<void()> release) {
  self->request(context->rbac, std::chrono::seconds(30), authorize_atom::value,
                caller, rpc)
      .then(
          [self, context, rpc, respond, release](const decision& verdict) {
            if (!verdict.allowed) {
              release();
              context->metrics->rpc.count_denied(rpc.agent, rpc.action);
              record_denial(context, rpc, verdict.reason);
              respond(http::error_response(403, "forbidden", verdict.reason));
              return;
            }
            require_broker(self, context, rpc, respond, release, [=] {
              if (!signing_has_room(context, respond) ||
                  !take_request_slot(context, rpc.caller, respond)) {
                release();
                return;
              }
              auto capped = rpc;
              capped.max_targets = verdict.max_targets;
              start_request(self, context, std::move(capped), respond,
                            [release](const std::string&, const std::string&) {
                              release();
                            });
            });
          },
          [context, respond, release](const caf::error& error) {
            release();
            respond(from_error(*context->system, error));
          });
}

// Responds to a retried submit with the original request and its state.
void respond_existing(caf::event_based_actor* self, const context_ptr& context,
                      const std::string& request_id,
                      const http::responder& respond) {
  self->request(context->reader, std::chrono::seconds(30), status_atom::value,
                request_id)
      .then(
          [request_id, respond](const status_record& status) {
            auto out = json_response(
                200,
                accepted_body(request_id, status.value.value("state", "")));
            out.headers.emplace_back("Idempotent-Replayed", "true");
            respond(std::move(out));
          },
          respond_error(context, respond));
}

}  // namespace

std::string canonical_json_body(const std::string& body) {
  std::string error;
  auto parsed = parse_json_body(body, &error);
  if (!parsed || parsed->is_null()) return body;
  return parsed->dump(-1, ' ', false, json::error_handler_t::replace);
}

bool read_idempotency_key(const http::request& request,
                          const std::string& canonical_body,
                          std::optional<idempotency_claim>& out,
                          std::string* error) {
  out.reset();
  auto found = request.headers.find("idempotency-key");
  if (found == request.headers.end()) return true;
  const std::string& key = found->second;
  bool printable = true;
  for (unsigned char c : key) printable = printable && c >= 0x21 && c < 0x7f;
  if (key.empty() || key.size() > max_idempotency_key_size || !printable) {
    *error =
        "the Idempotency-Key header must be 1 to 255 printable ASCII "
        "characters without spaces";
    return false;
  }

  out = idempotency_claim{
      key, hex_encode(sha256(request.method + " " + request.path + "\n" +
                             canonical_body))};
  return true;
}

void admit_request(caf::event_based_actor* self, const context_ptr& context,
                   const identity& caller, rpc_request rpc,
                   std::optional<idempotency_claim> claim,
                   const http::responder& respond) {
  if (!claim) {
    check_and_start(self, context, caller, std::move(rpc), respond, [] {});
    return;
  }
  rpc.accepted_extra["idempotency_key"] = claim->key;
  rpc.accepted_extra["request_hash"] = claim->hash;
  self->request(context->idempotency, std::chrono::seconds(30),
                claim_atom::value, caller.username, claim->key, claim->hash)
      .then(
          [self, context, caller, rpc, claim,
           respond](const claim_result& result) {
            using outcome = claim_result::outcome;
            switch (result.result) {
              case outcome::existing:
                return respond_existing(self, context, result.request_id,
                                        respond);
              case outcome::mismatch:
                return respond(http::error_response(
                    422, "idempotency_key_reused",
                    "Idempotency-Key " + claim->key +
                        " was already used for a different request; send "
                        "a new key for a new request"));
              case outcome::in_progress:
                return respond(http::error_response(
                    409, "conflict",
                    "a request with Idempotency-Key " + claim->key +
                        " is still being submitted; retry shortly"));
              case outcome::claimed:
                break;
            }
            auto gate = context->idempotency;
            auto release = [gate, user = caller.username, key = claim->key] {
              caf::anon_send(gate, release_atom::value, user, key);
            };
            check_and_start(self, context, caller, rpc, respond, release);
          },
          respond_error(context, respond));
}

}  // namespace gateway

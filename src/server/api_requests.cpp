// POST /v1/requests, GET /v1/requests/{id} and
// GET /v1/requests/{id}/replies: submitting requests and reading their
// status and replies.
#include <chrono>

#include "gateway/common/encoding.hpp"
#include "gateway/common/json_limits.hpp"
#include "gateway/server/submit_parser.hpp"
#include "src/server/api_submit.hpp"
#include "src/server/api_limits.hpp"
#include "src/server/api_support.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;

void handle_submit(const context_ptr& context, const http::request& request,
                   const http::responder& respond) {
  std::optional<idempotency_claim> claim;
  std::string key_error;
  if (!read_idempotency_key(request, canonical_json_body(request.body), claim,
                            &key_error)) {
    respond(http::error_response(400, "invalid_request", key_error));
    return;
  }
  authenticated(
      context, request, respond,
      [context, body = request.body, claim, respond](
          caf::event_based_actor* self, const identity& caller) {
        std::string error;
        auto rpc =
            parse_submit(body, context->config, context->ddls.get(), &error);
        if (!rpc) {
          respond(http::error_response(400, "invalid_request", error));
          return;
        }
        rpc->caller = caller.username;
        admit_request(self, context, caller, std::move(*rpc), claim, respond);
      });
}

void handle_status(const context_ptr& context, const http::request& request,
                   const std::string& request_id,
                   const http::responder& respond) {
  authenticated(
      context, request, respond,
      [context, request_id, respond](caf::event_based_actor* self,
                                     const identity& caller) {
        self->request(context->reader, std::chrono::seconds(30),
                      status_atom::value, request_id)
            .then(
                [context, request_id, caller,
                 respond](const status_record& status) {
                  if (!visible_to(*context, status.value, caller)) {
                    respond(request_not_found(request_id));
                    return;
                  }
                  respond(json_response(200, status.value));
                },
                [context, respond](const caf::error& error) {
                  respond(from_error(*context->system, error));
                });
      });
}

void handle_replies(const context_ptr& context, const http::request& request,
                    const std::string& request_id,
                    const http::responder& respond) {
  std::string error;
  auto limit = parse_limit(request, context->config.max_page_size, &error);
  if (!limit) {
    respond(http::error_response(400, "invalid_request", error));
    return;
  }
  auto cursor_entry = request.query.find("cursor");
  std::string cursor =
      cursor_entry == request.query.end() ? "" : cursor_entry->second;
  authenticated(
      context, request, respond,
      [context, request_id, cursor, limit = *limit, respond](
          caf::event_based_actor* self, const identity& caller) {
        self->request(context->reader, std::chrono::seconds(30),
                      status_atom::value, request_id)
            .then(
                [self, context, request_id, cursor, limit, caller,
                 respond](const status_record& status) {
                  if (!visible_to(*context, status.value, caller)) {
                    respond(request_not_found(request_id));
                    return;
                  }
                  self->request(context->reader, std::chrono::seconds(30),
                                replies_atom::value, request_id, cursor, limit)
                      .then(
                          [respond](const reply_page_result& page) {
                            json next = page.next_cursor.empty()
                                            ? json(nullptr)
                                            : json(page.next_cursor);
                            respond(
                                json_response(200, {{"replies", page.replies},
                                                    {"next_cursor", next}}));
                          },
                          [context, respond](const caf::error& error) {
                            respond(from_error(*context->system, error));
                          });
                },
                [context, respond](const caf::error& error) {
                  respond(from_error(*context->system, error));
                });
      });
}

// Wraps a handler that takes the request id from the route's first
// parameter. Ids that cannot exist get 404.
template <class F>
route_handler with_request_id(F f) {
  return [f](const context_ptr& context, const http::request& request,
             const route_params& params, const http::responder& respond) {
    const std::string& id = params.at(0);
    if (!valid_request_id(id)) {
      respond(http::error_response(
          404, "not_found",
          "request " + id +
              " not found: request ids are 32 lowercase hex characters"));
      return;
    }
    f(context, request, id, respond);
  };
}

}  // namespace

void add_request_routes(route_table& table) {
  table.add("POST", "/v1/requests",
            [](const context_ptr& context, const http::request& request,
               const route_params&, const http::responder& respond) {
              handle_submit(context, request, respond);
            });
  table.add("GET", "/v1/requests/{id}", with_request_id(handle_status));
  table.add("GET", "/v1/requests/{id}/replies",
            with_request_id(handle_replies));
}

}  // namespace gateway

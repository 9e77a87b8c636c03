// GET /v1/requests/{id}/events: live results as server-sent events. The
// handler checks the token and the visibility rule of the status route,
// opens the stream and hands it to a stream subscriber actor, so that no
// HTTP thread waits for the replies.
#include <cerrno>
#include <cstdlib>

#include "src/server/api_support.hpp"

namespace gateway {
namespace {

// The reply sequence the client already has: the Last-Event-ID header
// that an EventSource sends when it reconnects, or the last_event_id
// query parameter for clients that cannot set headers. 0 means none.
std::optional<std::uint64_t> last_event_id(const http::request& request,
                                           std::string* error) {
  std::string text;
  std::string source;  // what the client sent, for the error message
  if (auto header = request.headers.find("last-event-id");
      header != request.headers.end()) {
    text = header->second;
    source = "the Last-Event-ID header";
  } else if (auto query = request.query.find("last_event_id");
             query != request.query.end()) {
    text = query->second;
    source = "the last_event_id parameter";
  }
  if (text.empty()) return 0;

  char* end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (*end != '\0' || errno != 0 || text.front() < '0' || text.front() > '9') {
    *error = source + " must be the decimal id of a received event, not \"" +
             text.substr(0, 40) + "\"";
    return std::nullopt;
  }
  return value;
}

void open_stream(const context_ptr& context, const std::string& request_id,
                 std::uint64_t last_sequence, const http::responder& respond) {
  // Proxies such as nginx would otherwise hold events back.
  auto writer = respond.start_stream(200, {{"X-Accel-Buffering", "no"}});
  if (!writer.is_open()) return;

  stream_order order{request_id, last_sequence, writer};
  auto subscriber = spawn_stream_subscriber(*context->system,
                                            context->stream_hub, context->store,
                                            std::move(order), context->streams);
  writer.on_close(
      [subscriber] { caf::anon_send(subscriber, closed_atom::value); });
}

void handle_events(const context_ptr& context, const http::request& request,
                   const std::string& request_id,
                   const http::responder& respond) {
  std::string error;
  bool head_only = request.method == "HEAD";
  auto last_sequence = last_event_id(request, &error);
  if (!last_sequence) {
    respond(http::error_response(400, "invalid_request", error));
    return;
  }
  authenticated(
      context, request, respond,
      [context, request_id, head_only, last_sequence = *last_sequence, respond](
          caf::event_based_actor* self, const identity& caller) {
        self->request(context->reader, std::chrono::seconds(30),
                      status_atom::value, request_id)
            .then(
                [context, request_id, head_only, last_sequence, caller,
                 respond](const status_record& status) {
                  if (!visible_to(*context, status.value, caller)) {
                    respond(request_not_found(request_id));
                    return;
                  }
                  if (head_only) {
                    // HEAD gets the stream's header and no body.
                    http::response out;
                    out.content_type = "text/event-stream";
                    respond(std::move(out));
                    return;
                  }
                  open_stream(context, request_id, last_sequence, respond);
                },
                [context, respond](const caf::error& error) {
                  respond(from_error(*context->system, error));
                });
      });
}

}  // namespace

void add_event_routes(route_table& table) {
  table.add("GET", "/v1/requests/{id}/events",
            [](const context_ptr& context, const http::request& request,
               const route_params& params, const http::responder& respond) {
              const std::string& id = params.at(0);
              if (!valid_request_id(id)) {
                respond(request_not_found(id));
                return;
              }
              handle_events(context, request, id, respond);
            });
}

}  // namespace gateway

#include "actors/collector.hpp"

#include <chrono>
#include <unordered_set>

#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"
#include "gateway/common/logging.hpp"

namespace gateway {
namespace {

struct collector_state {
  collector_deps deps;
  std::string request_id;
  std::string discovery_id;  // empty unless discovering
  rpc_request request;
  std::unordered_set<std::string> discovered;
  std::unordered_set<std::string> expected;
  std::unordered_set<std::string> answered;  // every sender, expected or not
  std::size_t expected_answered = 0;
  std::uint64_t dropped_invalid = 0;  // undecodable or bad hash
  std::uint64_t dropped_duplicate = 0;
  std::string payload;                   // the signed transport message
  std::vector<std::string> unpublished;  // direct mode: nodes still to send
  std::size_t publishes_pending = 0;
  std::size_t publishes_done = 0;
  bool finished = false;
  static inline const char* name = "collector";
};

using collector_pointer = collector_actor::stateful_pointer<collector_state>;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

storage::event make_event(collector_pointer self, storage::event_kind kind,
                          nlohmann::json data) {
  storage::event event;
  event.kind = kind;
  event.time_ms = now_ms();
  event.request_id = self->state.request_id;
  event.caller = self->state.request.caller;
  event.data = std::move(data);
  return event;
}

// Appends one event; a failure is logged, since the collector cannot undo
// what the nodes already received.
void append(collector_pointer self, storage::event event,
            std::function<void()> on_written = {}) {
  std::vector<storage::event> batch;
  batch.push_back(std::move(event));
  self->request(self->state.deps.event_log, caf::infinite, append_atom::value,
                std::move(batch))
      .then(
          [on_written](std::uint64_t) {
            if (on_written) on_written();
          },
          [self, on_written](const caf::error& error) {
            logger("collector")
                ->error("request {}: event append failed: {}",
                        self->state.request_id,
                        error_message(self->system(), error));
            if (on_written) on_written();
          });
}

nlohmann::json accepted_data(const rpc_request& request, bool discovering) {
  nlohmann::json nodes = request.nodes;
  return {{"agent", request.agent},
          {"action", request.action},
          {"collective", request.collective},
          {"data", request.data},
          {"filter", choria::filter_to_json(request.target)},
          {"nodes", nodes},
          {"timeout", request.timeout_seconds},
          {"discovery_timeout", request.discovery_timeout_seconds},
          {"ttl", request.ttl_seconds},
          {"discovering", discovering}};
}

reply_sink_actor as_sink(collector_pointer self) {
  return caf::actor_cast<reply_sink_actor>(self);
}

void finish(collector_pointer self, storage::event_kind kind) {
  auto& state = self->state;
  if (state.finished) return;
  state.finished = true;

  nlohmann::json silent = nlohmann::json::array();
  for (const auto& node : state.expected)
    if (!state.answered.count(node)) silent.push_back(node);
  self->send(state.deps.broker_link, forget_atom::value, state.request_id);
  if (!state.discovery_id.empty())
    self->send(state.deps.broker_link, forget_atom::value, state.discovery_id);

  logger("collector")
      ->info("request {} {}: {} of {} answered, {} invalid replies, {} duplicates",
             state.request_id, storage::to_string(kind),
             state.expected_answered, state.expected.size(),
             state.dropped_invalid, state.dropped_duplicate);
  append(self, make_event(self, kind, {{"no_response", std::move(silent)}}),
         [self] { self->quit(); });
}

void fail(collector_pointer self, const std::string& reason) {
  auto& state = self->state;
  if (state.finished) return;
  state.finished = true;
  logger("collector")->error("request {} failed: {}", state.request_id, reason);
  self->send(state.deps.broker_link, forget_atom::value, state.request_id);
  append(self, make_event(self, storage::event_kind::request_failed,
                          {{"reason", reason}}),
         [self] { self->quit(); });
}

// When the request will expire: the timeout runs from the last batch.
std::int64_t deadline_ms(const collector_state& state) {
  const auto& request = state.request;
  std::int64_t batches = 1;
  if (!request.broadcast && request.batch_size > 0)
    batches = static_cast<std::int64_t>(
        (state.expected.size() + request.batch_size - 1) / request.batch_size);
  return now_ms() + request.timeout_seconds * 1000 +
         std::max<std::int64_t>(0, batches - 1) * request.batch_sleep_ms;
}

// Counts the outcome of one publish; the request fails when nothing at
// all reached the broker.
void on_published(collector_pointer self, bool ok) {
  auto& state = self->state;
  --state.publishes_pending;
  if (ok) ++state.publishes_done;
  if (state.publishes_pending == 0 && state.unpublished.empty() &&
      state.publishes_done == 0)
    fail(self, "could not publish to the broker");
}

void publish_one(collector_pointer self, const std::string& subject) {
  auto& state = self->state;
  ++state.publishes_pending;
  self->request(state.deps.broker_link, caf::infinite, publish_atom::value,
                subject, state.payload)
      .then([self](bool ok) { on_published(self, ok); },
            [self](const caf::error&) {
              fail(self, "the broker link is gone");
            });
}

// Publishes the next batch of direct messages, then schedules the one
// after it; the deadline starts once the last batch is out.
void publish_batch(collector_pointer self) {
  auto& state = self->state;
  if (state.finished) return;
  std::size_t count = state.request.batch_size == 0
                          ? state.unpublished.size()
                          : std::min(state.request.batch_size,
                                     state.unpublished.size());
  for (std::size_t i = 0; i < count; ++i) {
    publish_one(self, choria::node_subject(state.request.collective,
                                           state.unpublished.back()));
    state.unpublished.pop_back();
  }
  if (!state.unpublished.empty()) {
    self->delayed_send(self,
                       std::chrono::milliseconds(state.request.batch_sleep_ms),
                       batch_atom::value);
    return;
  }
  self->delayed_send(self, std::chrono::seconds(state.request.timeout_seconds),
                     deadline_atom::value);
}

void start_publishing(collector_pointer self) {
  auto& state = self->state;
  if (state.request.broadcast) {
    publish_one(self, choria::broadcast_subject(state.request.collective,
                                                state.request.agent));
    self->delayed_send(self,
                       std::chrono::seconds(state.request.timeout_seconds),
                       deadline_atom::value);
    return;
  }
  state.unpublished.assign(state.expected.begin(), state.expected.end());
  publish_batch(self);
}

void publish(collector_pointer self) {
  auto& state = self->state;
  if (state.expected.empty()) {
    append(self, make_event(self, storage::event_kind::request_published,
                            {{"expected_nodes", nlohmann::json::array()},
                             {"deadline", now_ms()}}));
    finish(self, storage::event_kind::request_completed);
    return;
  }

  signing_order order;
  order.request_id = state.request_id;
  order.collective = state.request.collective;
  order.agent = state.request.agent;
  order.action = state.request.action;
  order.data = state.request.data;
  order.caller_username = state.request.caller;
  order.ttl_seconds = state.request.ttl_seconds;
  order.target = state.request.target;
  self->request(state.deps.signer, caf::infinite, sign_atom::value, order)
      .then(
          [self](const signed_message& message) {
            auto& state = self->state;
            state.payload = message.payload;
            nlohmann::json nodes = state.expected;
            append(self,
                   make_event(self, storage::event_kind::request_published,
                              {{"expected_nodes", std::move(nodes)},
                               {"deadline", deadline_ms(state)}}));
            self->send(state.deps.broker_link, register_atom::value,
                       state.request_id, as_sink(self));
            start_publishing(self);
          },
          [self](const caf::error& error) {
            fail(self, "signing failed: " +
                           error_message(self->system(), error));
          });
}

void discover(collector_pointer self) {
  auto& state = self->state;
  state.discovery_id = make_request_id();

  signing_order order;
  order.request_id = state.discovery_id;
  order.collective = state.request.collective;
  order.agent = "discovery";
  order.action = "ping";
  order.discovery = true;
  order.caller_username = state.request.caller;
  order.ttl_seconds = state.request.ttl_seconds;
  order.target = state.request.target;
  order.target.agent.push_back(state.request.agent);
  self->request(state.deps.signer, caf::infinite, sign_atom::value, order)
      .then(
          [self](const signed_message& message) {
            auto& state = self->state;
            self->send(state.deps.broker_link, register_atom::value,
                       state.discovery_id, as_sink(self));
            auto subject = choria::broadcast_subject(state.request.collective,
                                                     "discovery");
            self->request(state.deps.broker_link, caf::infinite,
                          publish_atom::value, subject, message.payload)
                .then([self](bool ok) {
                  if (!ok) fail(self, "could not publish discovery");
                });
            self->delayed_send(
                self,
                std::chrono::seconds(
                    state.request.discovery_timeout_seconds),
                discovered_atom::value);
          },
          [self](const caf::error& error) {
            fail(self, "signing discovery failed: " +
                           error_message(self->system(), error));
          });
}

void end_discovery(collector_pointer self) {
  auto& state = self->state;
  if (state.finished) return;
  self->send(state.deps.broker_link, forget_atom::value, state.discovery_id);
  nlohmann::json nodes = state.discovered;
  append(self, make_event(self, storage::event_kind::discovery_completed,
                          {{"nodes", std::move(nodes)}}));
  const auto cap = state.request.max_targets;
  if (cap != 0 && state.discovered.size() > cap) {
    fail(self, "discovery found " + std::to_string(state.discovered.size()) +
                   " nodes, more than the " + std::to_string(cap) +
                   " the caller's role allows for this action");
    return;
  }
  state.expected = std::move(state.discovered);
  publish(self);
}

void on_discovery_reply(collector_pointer self, const choria::reply& reply) {
  auto& state = self->state;
  if (!state.discovered.insert(reply.sender_id).second)
    ++state.dropped_duplicate;
}

void on_rpc_reply(collector_pointer self, choria::reply& reply) {
  auto& state = self->state;
  if (!state.answered.insert(reply.sender_id).second) {
    ++state.dropped_duplicate;
    return;
  }
  bool expected = state.expected.count(reply.sender_id) != 0;
  nlohmann::json data = {{"sender", reply.sender_id}, {"expected", expected}};
  if (reply.body_is_json && reply.body.is_object()) {
    // Untrusted fields: a wrong type is reported as an unknown error (5).
    auto code = reply.body.find("statuscode");
    auto message = reply.body.find("statusmsg");
    auto payload = reply.body.find("data");
    bool valid_code = code != reply.body.end() && code->is_number_integer() &&
                      *code >= 0 && *code <= 5;
    data["statuscode"] = valid_code ? code->get<int>() : 5;
    data["statusmsg"] = message != reply.body.end() && message->is_string()
                            ? message->get<std::string>()
                            : std::string(valid_code ? "" : "invalid reply");
    data["data"] =
        payload != reply.body.end() ? *payload : nlohmann::json::object();
  } else {
    data["statuscode"] = 0;
    data["statusmsg"] = "OK";
    data["data"] = reply.body;
  }
  append(self, make_event(self, storage::event_kind::reply_received,
                          std::move(data)));
  if (expected && ++state.expected_answered == state.expected.size())
    finish(self, storage::event_kind::request_completed);
}

void on_incoming(collector_pointer self, const std::string& payload) {
  auto& state = self->state;
  if (state.finished) return;
  auto decoded = choria::decode_reply(payload);
  if (!decoded.value) {
    ++state.dropped_invalid;
    return;
  }
  auto& reply = *decoded.value;
  if (reply.request_id == state.discovery_id && !state.discovery_id.empty())
    on_discovery_reply(self, reply);
  else if (reply.request_id == state.request_id)
    on_rpc_reply(self, reply);
}

collector_actor::behavior_type collector(collector_pointer self,
                                         collector_deps deps,
                                         std::string request_id,
                                         rpc_request request) {
  self->state.deps = std::move(deps);
  self->state.request_id = std::move(request_id);
  self->state.request = std::move(request);
  return {
      [self](start_atom) -> caf::result<std::string> {
        auto& state = self->state;
        bool discovering = state.request.nodes.empty();
        auto promise = self->make_response_promise<std::string>();
        auto event =
            make_event(self, storage::event_kind::request_accepted,
                       accepted_data(state.request, discovering));
        std::vector<storage::event> batch{std::move(event)};
        self->request(state.deps.event_log, caf::infinite, append_atom::value,
                      std::move(batch))
            .then(
                [self, promise, discovering](std::uint64_t) mutable {
                  promise.deliver(std::string(discovering ? "discovering"
                                                          : "running"));
                  if (discovering) {
                    discover(self);
                    return;
                  }
                  auto& nodes = self->state.request.nodes;
                  self->state.expected.insert(nodes.begin(), nodes.end());
                  publish(self);
                },
                [self, promise](caf::error& error) mutable {
                  promise.deliver(std::move(error));
                  self->quit();
                });
        return promise;
      },
      [self](incoming_atom, const std::string& payload) {
        on_incoming(self, payload);
      },
      [self](discovered_atom) { end_discovery(self); },
      [self](batch_atom) { publish_batch(self); },
      [self](deadline_atom) {
        finish(self, storage::event_kind::request_expired);
      },
  };
}

}  // namespace

collector_actor spawn_collector(caf::actor_system& system,
                                const collector_deps& deps,
                                std::string request_id, rpc_request request) {
  return system.spawn(collector, deps, std::move(request_id),
                      std::move(request));
}

}  // namespace gateway

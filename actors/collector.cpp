#include "actors/collector.hpp"

#include <chrono>
#include <unordered_set>

#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"
#include "gateway/common/logging.hpp"
#include "gateway/metrics/request_probe.hpp"

namespace gateway {
namespace {

struct collector_state {
  collector_deps deps;
  std::string request_id;
  std::string discovery_id;  // empty unless discovering
  // The broker connection discovery was published on; another one at the
  // end of discovery means that replies may have been lost.
  std::uint64_t discovery_connection = 0;
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
  // reply_received events not yet sent to the event log: replies that
  // arrive together share one append (see flush_replies).
  std::vector<storage::event> pending_replies;
  bool flush_scheduled = false;
  metrics::request_probe probe;
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

// Sends the pending reply events to the event log as one append. Runs
// when no more replies wait in the mailbox, before any later event of the
// request, and when the batch is full.
void flush_replies(collector_pointer self) {
  auto& state = self->state;
  state.flush_scheduled = false;
  if (state.pending_replies.empty()) return;
  std::vector<storage::event> batch;
  batch.swap(state.pending_replies);
  self->request(state.deps.event_log, caf::infinite, append_atom::value,
                std::move(batch))
      .then([](std::uint64_t) {},
            [self](const caf::error& error) {
              logger("collector")
                  ->error("request {}: reply append failed: {}",
                          self->state.request_id,
                          error_message(self->system(), error));
            });
}

// Queues a reply event. A flush message behind the replies already in the
// mailbox writes them together, so a burst of replies costs one append.
void append_reply(collector_pointer self, storage::event event) {
  constexpr std::size_t max_batch = 256;
  auto& state = self->state;
  state.pending_replies.push_back(std::move(event));
  if (state.pending_replies.size() >= max_batch) {
    flush_replies(self);
    return;
  }
  if (state.flush_scheduled) return;
  state.flush_scheduled = true;
  self->send(self, flush_atom::value);
}

nlohmann::json accepted_data(const rpc_request& request, bool discovering) {
  nlohmann::json nodes = request.nodes;
  nlohmann::json data = {{"agent", request.agent},
          {"action", request.action},
          {"collective", request.collective},
          {"data", request.data},
          {"filter", choria::filter_to_json(request.target)},
          {"nodes", nodes},
          {"timeout", request.timeout_seconds},
          {"discovery_timeout", request.discovery_timeout_seconds},
          {"ttl", request.ttl_seconds},
          {"discovering", discovering},
          {"mode", request.broadcast ? "broadcast" : "direct"},
          {"batch_size", request.batch_size},
          {"batch_sleep_ms", request.batch_sleep_ms}};
  if (request.accepted_extra.is_object()) data.update(request.accepted_extra);
  return data;
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
  state.probe.ended(kind == storage::event_kind::request_completed
                        ? metrics::request_end::completed
                        : metrics::request_end::expired);
  self->send(state.deps.broker_link, forget_atom::value, state.request_id);
  if (!state.discovery_id.empty())
    self->send(state.deps.broker_link, forget_atom::value, state.discovery_id);

  flush_replies(self);
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
  state.probe.ended(metrics::request_end::failed);
  self->send(state.deps.broker_link, forget_atom::value, state.request_id);
  flush_replies(self);
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
  if (ok) state.probe.published();
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

// Writes request_published and publishes once it is durable, so that a
// request the log shows as unpublished never reached a node, and start-up
// recovery may publish it without any node running it twice.
void record_publication(collector_pointer self) {
  auto& state = self->state;
  nlohmann::json nodes = state.expected;
  std::vector<storage::event> batch{
      make_event(self, storage::event_kind::request_published,
                 {{"expected_nodes", std::move(nodes)},
                  {"deadline", deadline_ms(state)}})};
  self->request(state.deps.event_log, caf::infinite, append_atom::value,
                std::move(batch))
      .then(
          [self](std::uint64_t) {
            if (self->state.finished) return;
            self->send(self->state.deps.broker_link, register_atom::value,
                       self->state.request_id, as_sink(self));
            start_publishing(self);
          },
          [self](const caf::error& error) {
            fail(self, "recording the publication failed: " +
                           error_message(self->system(), error));
          });
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
            self->state.payload = message.payload;
            record_publication(self);
          },
          [self](const caf::error& error) {
            fail(self, "signing failed: " +
                           error_message(self->system(), error));
          });
}

// Signs and publishes the discovery request, and schedules its end.
void publish_discovery(collector_pointer self) {
  auto& state = self->state;
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

// Starts discovery on the current broker connection. Without one, the
// request fails at once: discovery would find no node and the request
// would complete with none.
void discover(collector_pointer self) {
  auto& state = self->state;
  state.discovery_id = make_request_id();
  state.probe.discovery_started();
  self->request(state.deps.broker_link, std::chrono::seconds(10),
                connection_atom::value)
      .then(
          [self](std::uint64_t connection) {
            if (connection == 0)
              return fail(self,
                          "no broker is connected, so discovery cannot find "
                          "the target nodes; submit the request again once "
                          "GET /readyz returns 200");
            self->state.discovery_connection = connection;
            publish_discovery(self);
          },
          [self](const caf::error& error) {
            fail(self, "the broker link did not respond: " +
                           error_message(self->system(), error));
          });
}

// Ends discovery once its time is up, unless the broker connection was
// lost meanwhile: replies sent while the gateway was disconnected are
// lost, so the discovered nodes could be incomplete.
void end_discovery(collector_pointer self, std::uint64_t connection) {
  auto& state = self->state;
  if (state.finished) return;
  self->send(state.deps.broker_link, forget_atom::value, state.discovery_id);
  state.probe.discovery_ended(state.discovered.size());
  if (connection != state.discovery_connection) {
    fail(self,
         "the broker connection was lost during discovery, so nodes may be "
         "missing from the " +
             std::to_string(state.discovered.size()) +
             " discovered; submit the request again");
    return;
  }
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
  if (!state.discovered.insert(reply.sender_id).second) {
    ++state.dropped_duplicate;
    state.probe.dropped(metrics::drop_reason::duplicate);
  }
}

void on_rpc_reply(collector_pointer self, choria::reply& reply) {
  auto& state = self->state;
  if (!state.answered.insert(reply.sender_id).second) {
    ++state.dropped_duplicate;
    state.probe.dropped(metrics::drop_reason::duplicate);
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
    // The body is not used after this, so its fields are moved.
    data["statusmsg"] = message != reply.body.end() && message->is_string()
                            ? std::move(*message)
                            : nlohmann::json(valid_code ? "" : "invalid reply");
    data["data"] = payload != reply.body.end() ? std::move(*payload)
                                               : nlohmann::json::object();
  } else {
    data["statuscode"] = 0;
    data["statusmsg"] = "OK";
    data["data"] = std::move(reply.body);
  }
  state.probe.reply(data["statuscode"].get<int>(), expected);
  append_reply(self, make_event(self, storage::event_kind::reply_received,
                                std::move(data)));
  if (expected && ++state.expected_answered == state.expected.size())
    finish(self, storage::event_kind::request_completed);
}

void on_incoming(collector_pointer self, choria::reply_result& decoded) {
  auto& state = self->state;
  if (state.finished) return;
  if (!decoded.value) {
    ++state.dropped_invalid;
    state.probe.dropped(decoded.error == choria::decode_error::bad_hash
                            ? metrics::drop_reason::bad_hash
                            : metrics::drop_reason::invalid);
    return;
  }
  auto& reply = *decoded.value;
  if (reply.request_id == state.discovery_id && !state.discovery_id.empty())
    on_discovery_reply(self, reply);
  else if (reply.request_id == state.request_id)
    on_rpc_reply(self, reply);
  else
    state.probe.dropped(metrics::drop_reason::invalid);
}

// Publishes a request that was accepted but never published, with the
// collection time its budget has left after a fresh discovery.
void resume_unpublished(collector_pointer self, std::int64_t budget_end) {
  auto& state = self->state;
  bool discovering = state.request.nodes.empty();
  std::int64_t left = budget_end - now_ms();
  if (discovering) left -= state.request.discovery_timeout_seconds * 1000;
  state.request.timeout_seconds = std::max<std::int64_t>(1, left / 1000);
  logger("collector")
      ->info("request {}: publishing after a restart, collecting for {} s",
             state.request_id, state.request.timeout_seconds);
  if (discovering) return discover(self);
  state.expected.insert(state.request.nodes.begin(),
                        state.request.nodes.end());
  publish(self);
}

// Continues collecting a published request until its deadline, counting
// the stored replies as received so that their senders stay duplicates.
void resume_published(collector_pointer self, const resume_order& order) {
  auto& state = self->state;
  state.expected.insert(order.expected.begin(), order.expected.end());
  for (const auto& sender : order.answered)
    if (state.answered.insert(sender).second && state.expected.count(sender))
      ++state.expected_answered;
  if (state.expected_answered == state.expected.size())
    return finish(self, storage::event_kind::request_completed);

  self->send(state.deps.broker_link, register_atom::value, state.request_id,
             as_sink(self));
  auto left = std::max<std::int64_t>(0, order.deadline_ms - now_ms());
  self->delayed_send(self, std::chrono::milliseconds(left),
                     deadline_atom::value);
  logger("collector")
      ->info("request {}: resuming collection for {} ms, {} of {} answered",
             state.request_id, left, state.expected_answered,
             state.expected.size());
}

collector_actor::behavior_type collector(collector_pointer self,
                                         collector_deps deps,
                                         std::string request_id,
                                         rpc_request request,
                                         std::optional<resume_order> resume) {
  self->state.deps = std::move(deps);
  self->state.request_id = std::move(request_id);
  self->state.request = std::move(request);
  self->state.probe = metrics::request_probe(
      self->state.deps.metrics, self->state.request.agent,
      self->state.request.action);
  if (resume && resume->published) resume_published(self, *resume);
  if (resume && !resume->published)
    resume_unpublished(self, resume->deadline_ms);
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
                  self->state.probe.accepted();
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
      [self](incoming_atom, choria::reply_result& decoded) {
        on_incoming(self, decoded);
      },
      [self](discovered_atom) {
        if (self->state.finished) return;
        self->request(self->state.deps.broker_link, std::chrono::seconds(10),
                      connection_atom::value)
            .then(
                [self](std::uint64_t connection) {
                  end_discovery(self, connection);
                },
                [self](const caf::error&) { end_discovery(self, 0); });
      },
      [self](batch_atom) { publish_batch(self); },
      [self](flush_atom) { flush_replies(self); },
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
                      std::move(request), std::optional<resume_order>());
}

std::optional<rpc_request> request_from_accepted(
    const storage::event& accepted, std::string* error) {
  const nlohmann::json& data = accepted.data;
  rpc_request out;
  try {
    out.agent = data.at("agent").get<std::string>();
    out.action = data.at("action").get<std::string>();
    out.collective = data.at("collective").get<std::string>();
    out.data = data.value("data", nlohmann::json::object());
    out.nodes = data.value("nodes", std::vector<std::string>{});
    out.timeout_seconds = data.at("timeout").get<std::int64_t>();
    out.discovery_timeout_seconds =
        data.at("discovery_timeout").get<std::int64_t>();
    out.ttl_seconds = data.at("ttl").get<std::int64_t>();
    out.broadcast = data.value("mode", "direct") == "broadcast";
    out.batch_size = data.value("batch_size", std::size_t{0});
    out.batch_sleep_ms = data.value("batch_sleep_ms", std::int64_t{0});
  } catch (const nlohmann::json::exception& e) {
    *error = std::string("the request_accepted event is incomplete: ") +
             e.what();
    return std::nullopt;
  }
  std::string filter_error;
  auto target = choria::filter_from_json(
      data.value("filter", nlohmann::json::object()), &filter_error);
  if (!target) {
    *error = "the stored filter is invalid: " + filter_error;
    return std::nullopt;
  }
  out.target = std::move(*target);
  out.caller = accepted.caller;
  return out;
}

bool spawn_resumed_collector(caf::actor_system& system,
                             const collector_deps& deps, resume_order order,
                             std::string* error) {
  auto request = request_from_accepted(order.accepted, error);
  if (!request) return false;
  auto request_id = order.request_id;
  system.spawn(collector, deps, std::move(request_id), std::move(*request),
               std::optional<resume_order>(std::move(order)));
  return true;
}

}  // namespace gateway

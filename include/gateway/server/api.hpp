// The REST API, version 1: routes HTTP requests to the actors and turns
// their responses into JSON. Handlers never block an HTTP thread:
// each request that needs an actor gets a short-lived bridge actor that
// sends the messages and calls the responder when the responses arrive.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "actors/collector.hpp"
#include "actors/history_reader.hpp"
#include "actors/idempotency_gate.hpp"
#include "actors/messages.hpp"
#include "gateway/auth/policy.hpp"
#include "actors/stream_subscriber.hpp"
#include "gateway/auth/in_flight_limit.hpp"
#include "gateway/ddl/ddl_registry.hpp"
#include "gateway/http/server.hpp"
#include "gateway/metrics/registry.hpp"
#include "gateway/server/settings.hpp"

namespace gateway {

struct api_context {
  caf::actor_system* system = nullptr;
  settings config;
  std::shared_ptr<const ddl::ddl_registry> ddls;  // never null
  token_authority_actor tokens;
  rbac_evaluator_actor rbac;
  event_reader_actor reader;
  broker_link_actor broker;
  collector_deps deps;  // event log, signer and broker link
  // Read access per role; null grants every user their own requests only.
  std::shared_ptr<const auth::policy> rules;
  history_reader_actor history;
  idempotency_gate_actor idempotency;
  // Live result streams: the hub announces new events, and subscribers
  // read the replies from the store.
  stream_hub_actor stream_hub;
  std::shared_ptr<const storage::event_store> store;
  stream_options streams;
  metrics::registry_ptr metrics = metrics::registry::unserved();
  bool serve_metrics = true;  // GET /metrics, without authentication
  // Per-user cap on RPC requests in flight; null for no bookkeeping.
  std::shared_ptr<auth::in_flight_limit> in_flight;
  // Requests waiting for a signature, shared with the signers; null for
  // no cap.
  std::shared_ptr<std::atomic<std::int64_t>> signing_backlog;
};

// The handler for http::server. The context must outlive the server.
http::handler make_api_handler(std::shared_ptr<const api_context> context);

}  // namespace gateway

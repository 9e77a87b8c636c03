// The REST API, version 1: routes HTTP requests to the actors and turns
// their responses into JSON. Handlers never block an HTTP thread:
// each request that needs an actor gets a short-lived bridge actor that
// sends the messages and calls the responder when the responses arrive.
#pragma once

#include <memory>

#include "actors/collector.hpp"
#include "actors/messages.hpp"
#include "gateway/auth/in_flight_limit.hpp"
#include "gateway/ddl/ddl_registry.hpp"
#include "gateway/http/server.hpp"
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
  // Per-user cap on RPC requests in flight; null for no bookkeeping.
  std::shared_ptr<auth::in_flight_limit> in_flight;
};

// The handler for http::server. The context must outlive the server.
http::handler make_api_handler(std::shared_ptr<const api_context> context);

}  // namespace gateway

#include "gateway/metrics/rpc_metrics.hpp"

#include <string>

#include "buckets.hpp"

namespace gateway::metrics {
namespace {

prometheus::Family<prometheus::Counter>* counter_family(
    prometheus::Registry& registry, const std::string& name,
    const std::string& help) {
  return &prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

prometheus::Histogram* histogram(
    prometheus::Registry& registry, const std::string& name,
    const std::string& help,
    const prometheus::Histogram::BucketBoundaries& boundaries) {
  return &prometheus::BuildHistogram()
              .Name(name)
              .Help(help)
              .Register(registry)
              .Add({}, boundaries);
}

}  // namespace

std::string_view to_string(drop_reason reason) {
  switch (reason) {
    case drop_reason::invalid:
      return "invalid";
    case drop_reason::bad_hash:
      return "bad_hash";
    case drop_reason::duplicate:
      return "duplicate";
    case drop_reason::unknown_request:
      return "unknown_request";
  }
  return "invalid";
}

rpc_metrics::rpc_metrics(prometheus::Registry& registry) {
  submitted_family =
      counter_family(registry, "choria_gateway_rpc_requests_submitted_total",
                     "RPC requests accepted (202), by agent and action");
  denied_family = counter_family(
      registry, "choria_gateway_rpc_requests_denied_total",
      "RPC requests the gateway's policy denied (403), by agent and action");
  completed_family = counter_family(
      registry, "choria_gateway_rpc_requests_completed_total",
      "RPC requests every expected node answered, by agent and action");
  expired_family = counter_family(
      registry, "choria_gateway_rpc_requests_expired_total",
      "RPC requests whose deadline passed first, by agent and action");
  failed_family = counter_family(
      registry, "choria_gateway_rpc_requests_failed_total",
      "RPC requests that could not be signed or published, by agent and "
      "action");

  in_flight = &prometheus::BuildGauge()
                   .Name("choria_gateway_rpc_requests_in_flight")
                   .Help("RPC requests accepted and not yet ended")
                   .Register(registry)
                   .Add({});

  auto& replies_family = *counter_family(
      registry, "choria_gateway_replies_received_total",
      "Replies stored, by Choria status code (0 OK to 5 unknown error)");
  for (std::size_t code = 0; code < replies.size(); ++code)
    replies[code] = &replies_family.Add({{"statuscode", std::to_string(code)}});
  unexpected_replies =
      &counter_family(registry, "choria_gateway_replies_unexpected_total",
                      "Replies stored from nodes outside the expected set")
           ->Add({});
  auto& drops_family = *counter_family(
      registry, "choria_gateway_replies_dropped_total",
      "Replies not stored, by reason: invalid, bad_hash, duplicate, "
      "unknown_request");
  for (std::size_t i = 0; i < drops.size(); ++i)
    drops[i] = &drops_family.Add(
        {{"reason", std::string(to_string(static_cast<drop_reason>(i)))}});

  time_to_publish = histogram(
      registry, "choria_gateway_rpc_time_to_publish_seconds",
      "Time from submit to the request's publication, discovery included",
      buckets::rpc_seconds);
  time_to_first_reply = histogram(
      registry, "choria_gateway_rpc_time_to_first_reply_seconds",
      "Time from submit to the first stored reply", buckets::rpc_seconds);
  time_to_completion = histogram(
      registry, "choria_gateway_rpc_time_to_completion_seconds",
      "Time from submit until every expected node answered (completed "
      "requests only)",
      buckets::rpc_seconds);
  discovery_duration = histogram(
      registry, "choria_gateway_discovery_duration_seconds",
      "Time a discovery collected pong replies", buckets::rpc_seconds);
  discovered_nodes = histogram(registry, "choria_gateway_discovered_nodes",
                               "Nodes found by each discovery", buckets::nodes);
  signing_duration = histogram(
      registry, "choria_gateway_signing_duration_seconds",
      "Time to build and sign one Choria request", buckets::local_seconds);
}

action_counters rpc_metrics::for_action(std::string_view agent,
                                        std::string_view action) {
  auto [agent_label, action_label] = labels.label(agent, action);
  prometheus::Labels values{{"agent", agent_label}, {"action", action_label}};
  return {&submitted_family->Add(values), &completed_family->Add(values),
          &expired_family->Add(values), &failed_family->Add(values)};
}

void rpc_metrics::count_denied(std::string_view agent,
                               std::string_view action) {
  auto [agent_label, action_label] = labels.label(agent, action);
  denied_family->Add({{"agent", agent_label}, {"action", action_label}})
      .Increment();
}

void rpc_metrics::count_reply(int statuscode) {
  bool known = statuscode >= 0 && statuscode < static_cast<int>(replies.size());
  replies[known ? statuscode : replies.size() - 1]->Increment();
}

void rpc_metrics::count_drop(drop_reason reason) {
  drops[static_cast<std::size_t>(reason)]->Increment();
}

}  // namespace gateway::metrics

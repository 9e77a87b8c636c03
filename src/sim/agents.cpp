#include "gateway/sim/agents.hpp"

#include <algorithm>

namespace gateway::sim {
namespace {

using nlohmann::json;

std::string rpc_reply(std::string_view action, int statuscode,
                      std::string_view statusmsg, json data) {
  json reply = {{"action", action},
                {"statuscode", statuscode},
                {"statusmsg", statusmsg},
                {"data", std::move(data)}};
  return reply.dump();
}

std::string ok_reply(std::string_view action, json data) {
  return rpc_reply(action, 0, "OK", std::move(data));
}

json inventory(const node_profile& node, const agent_settings& settings) {
  std::string main_collective =
      settings.collectives.empty() ? "" : settings.collectives.front();
  return {{"agents", node.agents},
          {"facts", node.facts},
          {"classes", node.classes},
          {"collectives", settings.collectives},
          {"version", settings.version},
          {"data_plugins", json::array()},
          {"main_collective", main_collective}};
}

std::string run_rpcutil(const node_profile& node,
                        const agent_settings& settings,
                        const std::string& action, const json& data,
                        std::int64_t now) {
  if (action == "ping") return ok_reply(action, {{"pong", now}});
  if (action == "inventory") {
    return ok_reply(action, inventory(node, settings));
  }
  if (action == "get_fact") {
    auto name = data.find("fact");
    if (name == data.end() || !name->is_string()) {
      return rpc_reply(action, 3, "Missing data: fact must be a string",
                       json::object());
    }
    const json* value = find_fact(node.facts, name->get<std::string>());
    return ok_reply(
        action, {{"fact", *name}, {"value", value ? *value : json(nullptr)}});
  }
  return rpc_reply(action, 2, "Unknown action " + action + " for agent rpcutil",
                   json::object());
}

std::string run_test_agent(const std::string& action,
                           const agent_settings& settings, double random) {
  if (random < settings.test_failure_rate) {
    return rpc_reply(action, 1, "Aborted: simulated failure", json::object());
  }
  return ok_reply(action, {{"message", "done"}});
}

}  // namespace

std::vector<std::string> node_agents(const agent_settings& settings) {
  std::vector<std::string> agents{std::string(rpcutil_agent),
                                  std::string(discovery_agent),
                                  settings.test_agent};
  std::sort(agents.begin(), agents.end());
  agents.erase(std::unique(agents.begin(), agents.end()), agents.end());
  return agents;
}

std::chrono::milliseconds reply_delay(const agent_settings& settings,
                                      std::string_view agent) {
  if (agent == settings.test_agent) return settings.test_delay;
  return std::chrono::milliseconds(0);
}

std::optional<std::string> run_agent(const node_profile& node,
                                     const agent_settings& settings,
                                     std::string_view agent,
                                     std::string_view rpc_body,
                                     std::int64_t now, double random) {
  if (agent == discovery_agent) {
    // Real nodes reply "pong" to any discovery body that contains "ping".
    if (rpc_body.find("ping") == std::string_view::npos) return std::nullopt;
    return std::string("pong");
  }
  if (agent != rpcutil_agent && agent != settings.test_agent) {
    return std::nullopt;
  }

  auto body = json::parse(rpc_body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return rpc_reply("", 4, "Invalid data: request body is not a JSON object",
                     json::object());
  }
  auto action_field = body.find("action");
  if (action_field == body.end() || !action_field->is_string()) {
    return rpc_reply("", 4, "Invalid data: action must be a string",
                     json::object());
  }
  auto action = action_field->get<std::string>();
  auto data_field = body.find("data");
  json data = data_field == body.end() ? json::object() : *data_field;
  if (agent == rpcutil_agent) {
    return run_rpcutil(node, settings, action, data, now);
  }
  return run_test_agent(action, settings, random);
}

}  // namespace gateway::sim

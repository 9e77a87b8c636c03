// Fills an event store with the events the collector writes, without
// NATS, so that paging, history and memory can be measured on large
// stores in little time.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bench/tool/tool.hpp"
#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"
#include "gateway/storage/event_store.hpp"
#include "src/storage/keys.hpp"

namespace gateway::bench {
namespace {

using json = nlohmann::json;
using storage::event;
using storage::event_kind;

constexpr std::int64_t base_time_ms = 1'796'000'000'000;

event make_event(event_kind kind, const std::string& request_id,
                 const std::string& caller, std::int64_t time_ms, json data) {
  event e;
  e.kind = kind;
  e.request_id = request_id;
  e.caller = caller;
  e.time_ms = time_ms;
  e.data = std::move(data);
  return e;
}

// The data of a request_accepted event for a direct rpcutil request.
json accepted_data(const std::string& agent, const std::string& action,
                   json nodes) {
  return {{"agent", agent},
          {"action", action},
          {"collective", "mcollective"},
          {"data", json::object()},
          {"filter", choria::filter_to_json({})},
          {"nodes", std::move(nodes)},
          {"timeout", 10},
          {"discovery_timeout", 2},
          {"ttl", 60},
          {"discovering", false}};
}

// A reply to an rpcutil ping as the collector records it.
json reply_data(const std::string& sender, std::int64_t time_ms) {
  return {{"sender", sender},
          {"expected", true},
          {"statuscode", 0},
          {"statusmsg", "OK"},
          {"data", {{"pong", time_ms / 1000}}}};
}

std::string node_name(std::size_t index) {
  char name[64];
  std::snprintf(name, sizeof name, "node-%06zu.example.net", index);
  return name;
}

std::unique_ptr<storage::event_store> open_store(const std::string& dir) {
  storage::event_store_options options;
  options.sync = false;  // Filling speed is not measured.
  std::string error;
  auto store = storage::event_store::open(dir, options, &error);
  if (!store) std::fprintf(stderr, "bench_tool: %s\n", error.c_str());
  return store;
}

bool append(storage::event_store& store, std::vector<event>& events) {
  if (auto error = store.append(events)) {
    std::fprintf(stderr, "bench_tool: append failed: %s\n", error->c_str());
    return false;
  }
  return true;
}

// Appends the replies in batches and returns the sequence of each.
std::optional<std::vector<std::uint64_t>> append_replies(
    storage::event_store& store, const fill_replies_options& options,
    const std::string& request_id) {
  std::vector<std::uint64_t> sequences;
  std::vector<event> batch;
  for (std::size_t i = 1; i <= options.replies; ++i) {
    std::int64_t time_ms = base_time_ms + 1000 + static_cast<std::int64_t>(i);
    batch.push_back(make_event(event_kind::reply_received, request_id,
                               options.caller, time_ms,
                               reply_data(node_name(i), time_ms)));
    if (batch.size() < 1000 && i != options.replies) continue;
    if (!append(store, batch)) return std::nullopt;
    for (const event& e : batch) sequences.push_back(e.sequence);
    batch.clear();
  }
  return sequences;
}

// VmRSS and VmHWM of this process in KiB, from /proc/self/status.
json resident_memory() {
  json out = json::object();
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    for (const char* field : {"VmRSS", "VmHWM"}) {
      if (line.rfind(std::string(field) + ":", 0) == 0)
        out[field] = std::stoll(line.substr(std::strlen(field) + 1));
    }
  }
  return out;
}

}  // namespace

int run_fill_replies(const fill_replies_options& options) {
  auto store = open_store(options.dir);
  if (!store) return 1;
  std::string request_id = make_request_id();

  json nodes = json::array();
  for (std::size_t i = 1; i <= options.replies; ++i)
    nodes.push_back(node_name(i));
  std::vector<event> start{
      make_event(event_kind::request_accepted, request_id, options.caller,
                 base_time_ms, accepted_data("rpcutil", "ping", nodes)),
      make_event(event_kind::request_published, request_id, options.caller,
                 base_time_ms + 1,
                 {{"expected_nodes", nodes}, {"deadline", base_time_ms}})};
  if (!append(*store, start)) return 1;

  auto sequences = append_replies(*store, options, request_id);
  if (!sequences) return 1;
  std::vector<event> end{make_event(event_kind::request_completed, request_id,
                                    options.caller, base_time_ms + 2000,
                                    {{"no_response", json::array()}})};
  if (!append(*store, end)) return 1;

  // A cursor names the last reply served, so the page at position p
  // starts after reply p - 1.
  std::size_t middle = options.replies / 2;
  std::size_t last = options.replies - options.page_size;
  json out = {
      {"request_id", request_id},
      {"replies", options.replies},
      {"positions", {"start", "middle", "end"}},
      {"rss_kib", resident_memory()},
      {"cursors",
       {"", storage::keys::encode_cursor(request_id, (*sequences)[middle - 1]),
        storage::keys::encode_cursor(request_id, (*sequences)[last - 1])}}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

int run_fill_requests(const fill_requests_options& options) {
  static const char* callers[] = {"admin", "alice", "bob", "carol", "dave"};
  static const char* actions[][2] = {{"rpcutil", "ping"},
                                     {"rpcutil", "inventory"},
                                     {"sim_test", "run"},
                                     {"rpcutil", "get_fact"}};
  auto store = open_store(options.dir);
  if (!store) return 1;

  std::vector<event> batch;
  for (std::size_t i = 0; i < options.requests; ++i) {
    std::string request_id = make_request_id();
    std::string caller = callers[i % 5];
    const auto& [agent, action] = actions[i % 4];
    std::int64_t time_ms = base_time_ms + static_cast<std::int64_t>(i) * 1000;
    std::string node = node_name(i % 10'000 + 1);
    json nodes = json::array({node});

    batch.push_back(make_event(event_kind::request_accepted, request_id, caller,
                               time_ms, accepted_data(agent, action, nodes)));
    batch.push_back(make_event(
        event_kind::request_published, request_id, caller, time_ms + 1,
        {{"expected_nodes", nodes}, {"deadline", time_ms + 10'000}}));
    batch.push_back(make_event(event_kind::reply_received, request_id, caller,
                               time_ms + 5, reply_data(node, time_ms)));
    batch.push_back(make_event(event_kind::request_completed, request_id,
                               caller, time_ms + 6,
                               {{"no_response", json::array()}}));
    if ((i + 1) % options.batch != 0 && i + 1 != options.requests) continue;
    if (!append(*store, batch)) return 1;
    batch.clear();
  }
  // A real history of this size builds up over days, but the fill writes
  // it in minutes. Wait for the compactions it leaves, so that the reads
  // measured next do not compete with them for the cores.
  auto filled = std::chrono::steady_clock::now();
  if (auto error = store->settle(std::chrono::minutes(30))) {
    std::fprintf(stderr, "bench_tool: settling the filled store failed: %s\n",
                 error->c_str());
    return 1;
  }
  std::chrono::duration<double> settling =
      std::chrono::steady_clock::now() - filled;
  json out = {
      {"requests", options.requests},       {"events", store->last_sequence()},
      {"settle_seconds", settling.count()}, {"callers", 5},
      {"rss_kib", resident_memory()},       {"first_time_ms", base_time_ms}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace gateway::bench

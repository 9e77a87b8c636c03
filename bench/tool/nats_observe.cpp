// Watches a broadcast on NATS: when the gateway publishes each request of
// an agent and when the replies to each request pass. The span from the
// publish to the last reply is the simulator's publish time.
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>

#include "bench/tool/latency.hpp"
#include "bench/tool/nats_session.hpp"
#include "gateway/choria/protocol.hpp"

namespace gateway::bench {
namespace {

struct reply_span {
  std::size_t count = 0;
  double first = 0;
  double last = 0;
};

// Shared by the NATS delivery thread and the main thread.
struct observations {
  std::mutex mutex;
  std::condition_variable complete;
  std::size_t expect = 0;
  bool done = false;
  nlohmann::json broadcasts = nlohmann::json::array();
  std::set<std::string> broadcast_ids;
  std::map<std::string, reply_span> replies;  // by request id

  // Done once a broadcast request has all its replies. Discovery replies
  // belong to another request id and never count. Call with mutex held.
  void check_done(const std::string& request_id) {
    auto span = replies.find(request_id);
    if (span == replies.end() || span->second.count < expect ||
        !broadcast_ids.contains(request_id))
      return;
    done = true;
    complete.notify_one();
  }
};

void on_broadcast(natsConnection*, natsSubscription*, natsMsg* message,
                  void* closure) {
  double now = unix_seconds();
  auto* seen = static_cast<observations*>(closure);
  auto request = choria::decode_request(std::string_view(
      natsMsg_GetData(message),
      static_cast<std::size_t>(natsMsg_GetDataLength(message))));
  natsMsg_Destroy(message);
  if (!request.value) return;
  const std::string& request_id = request.value->env.request_id;
  std::lock_guard lock(seen->mutex);
  seen->broadcasts.push_back({{"request_id", request_id}, {"time", now}});
  seen->broadcast_ids.insert(request_id);
  seen->check_done(request_id);
}

// Each subscription has its own delivery thread in nats.c, so a reply may
// be seen before the broadcast it belongs to. Reply subjects end in the
// request id:
// <collective>.reply.<hash>.<request id>.
void on_reply(natsConnection*, natsSubscription*, natsMsg* message,
              void* closure) {
  double now = unix_seconds();
  auto* seen = static_cast<observations*>(closure);
  std::string_view subject = natsMsg_GetSubject(message);
  std::string request_id(subject.substr(subject.rfind('.') + 1));
  natsMsg_Destroy(message);

  std::lock_guard lock(seen->mutex);
  reply_span& span = seen->replies[request_id];
  if (span.count++ == 0) span.first = now;
  span.last = now;
  seen->check_done(request_id);
}

nlohmann::json to_json(observations& seen) {
  nlohmann::json replies = nlohmann::json::object();
  for (const auto& [request_id, span] : seen.replies)
    replies[request_id] = {
        {"count", span.count}, {"first", span.first}, {"last", span.last}};
  return {{"broadcasts", seen.broadcasts}, {"replies", replies}};
}

}  // namespace

int run_observe(const observe_options& options) {
  observations seen;
  seen.expect = options.expect;
  std::string error;
  auto connection = connect(options.nats, &error);
  natsSubscription* broadcasts = nullptr;
  natsSubscription* replies = nullptr;
  std::string broadcast_subject =
      choria::broadcast_subject(options.collective, options.agent);
  std::string reply_subject = options.collective + ".reply.>";
  if (connection && (natsConnection_Subscribe(&broadcasts, connection.get(),
                                              broadcast_subject.c_str(),
                                              on_broadcast, &seen) != NATS_OK ||
                     natsConnection_Subscribe(&replies, connection.get(),
                                              reply_subject.c_str(), on_reply,
                                              &seen) != NATS_OK))
    error = "subscribing failed";
  if (error.empty())
    announce_ready(connection.get(), options.ready_file, &error);
  if (!error.empty()) {
    std::fprintf(stderr, "observe: %s\n", error.c_str());
    return 1;
  }

  std::unique_lock lock(seen.mutex);
  bool complete = seen.complete.wait_for(
      lock, std::chrono::duration<double>(options.wait_seconds),
      [&] { return seen.done; });
  nlohmann::json out = to_json(seen);
  out["complete"] = complete;
  lock.unlock();
  natsSubscription_Unsubscribe(broadcasts);
  natsSubscription_Unsubscribe(replies);
  natsSubscription_Destroy(broadcasts);
  natsSubscription_Destroy(replies);
  std::printf("%s\n", out.dump().c_str());
  return complete ? 0 : 1;
}

}  // namespace gateway::bench

// The reply ingestion load: correct replies published to the gateway as
// fast as one NATS connection allows, so the gateway's ingestion is
// measured apart from the simulator's request checks.
#include <condition_variable>
#include <cstdio>
#include <mutex>

#include <nlohmann/json.hpp>

#include "bench/tool/latency.hpp"
#include "bench/tool/nats_session.hpp"
#include "gateway/choria/protocol.hpp"

namespace gateway::bench {
namespace {

// The first request seen, handed from the NATS thread to the main thread,
// and the count of requests seen so far.
struct first_request {
  std::mutex mutex;
  std::condition_variable arrived;
  std::string payload;
  std::size_t count = 0;
};

void on_request(natsConnection*, natsSubscription*, natsMsg* message,
                void* closure) {
  auto* first = static_cast<first_request*>(closure);
  {
    std::lock_guard lock(first->mutex);
    if (first->payload.empty())
      first->payload.assign(
          natsMsg_GetData(message),
          static_cast<std::size_t>(natsMsg_GetDataLength(message)));
    ++first->count;
  }
  first->arrived.notify_one();
  natsMsg_Destroy(message);
}

std::string node_name(const std::string& format, std::size_t index) {
  char name[256];
  std::snprintf(name, sizeof name, format.c_str(), index);
  return name;
}

std::vector<std::string> encode_replies(const blast_options& options,
                                        const choria::envelope& request) {
  std::vector<std::string> replies;
  replies.reserve(options.count);
  auto now = static_cast<std::int64_t>(unix_seconds());
  std::string body = nlohmann::json{
      {"statuscode", 0},
      {"statusmsg", "OK"},
      {"data",
       {{"pong", now}}}}.dump();
  for (std::size_t i = 1; i <= options.count; ++i)
    replies.push_back(choria::encode_reply(request.request_id,
                                           node_name(options.name_format, i),
                                           request.agent, now, body));
  return replies;
}

}  // namespace

int run_blast(const blast_options& options) {
  std::string error;
  auto connection = connect(options.nats, &error);
  first_request first;
  natsSubscription* subscription = nullptr;
  std::string subject = options.collective + ".node.>";
  if (connection &&
      natsConnection_Subscribe(&subscription, connection.get(), subject.c_str(),
                               on_request, &first) != NATS_OK)
    error = "subscribing to " + subject + " failed";
  if (error.empty())
    announce_ready(connection.get(), options.ready_file, &error);
  if (!error.empty()) {
    std::fprintf(stderr, "blast: %s\n", error.c_str());
    return 1;
  }

  std::unique_lock lock(first.mutex);
  if (!first.arrived.wait_for(
          lock, std::chrono::duration<double>(options.wait_seconds),
          [&] { return first.count >= options.count; })) {
    std::fprintf(stderr, "blast: %zu of %zu requests arrived on %s\n",
                 first.count, options.count, subject.c_str());
    return 1;
  }
  auto request = choria::decode_request(first.payload);
  lock.unlock();
  if (!request.value || request.value->headers.reply_to.empty()) {
    std::fprintf(stderr, "blast: the first request has no reply subject\n");
    return 1;
  }

  // The gateway subscribed to the reply subject before it published the
  // request on the same connection, so the subscription is in place.
  auto replies = encode_replies(options, request.value->env);
  const std::string& reply_to = request.value->headers.reply_to;
  double started = unix_seconds();
  for (const auto& reply : replies)
    natsConnection_Publish(connection.get(), reply_to.c_str(), reply.data(),
                           static_cast<int>(reply.size()));
  natsStatus flushed = natsConnection_FlushTimeout(connection.get(), 60'000);
  double finished = unix_seconds();
  natsSubscription_Destroy(subscription);

  nlohmann::json out = {{"request_id", request.value->env.request_id},
                        {"count", replies.size()},
                        {"reply_bytes", replies.front().size()},
                        {"flushed", flushed == NATS_OK},
                        {"publish_started", started},
                        {"publish_finished", finished}};
  std::printf("%s\n", out.dump().c_str());
  return flushed == NATS_OK ? 0 : 1;
}

}  // namespace gateway::bench

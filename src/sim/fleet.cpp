#include "gateway/sim/fleet.hpp"

#include <unistd.h>

#include <atomic>
#include <ctime>
#include <random>

#include "gateway/choria/pki.hpp"
#include "gateway/choria/protocol.hpp"
#include "gateway/choria/security.hpp"
#include "gateway/common/logging.hpp"
#include "gateway/sim/node_set.hpp"
#include "gateway/sim/request_processor.hpp"
#include "gateway/sim/task_queue.hpp"
#include "nats_connect.hpp"

namespace gateway::sim {
namespace {

// Replies encoded and published by one task, so that a broadcast to
// thousands of nodes spreads over every worker.
constexpr std::size_t nodes_per_task = 256;

double random_fraction() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

std::int64_t unix_now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

}  // namespace

struct fleet::impl {
  fleet_options options;
  node_set nodes;
  choria::node_verifier verifier;
  fleet_stats stats;
  request_processor processor;
  std::unique_ptr<task_queue> workers;
  natsConnection* connection = nullptr;
  std::vector<natsSubscription*> subscriptions;
  std::vector<std::string> subjects;
  std::atomic<bool> stopping{false};
  std::atomic<std::int64_t> last_publish_error_log{0};

  impl(fleet_options settings, node_set fleet_nodes,
       choria::node_verifier node_verifier)
      : options(std::move(settings)),
        nodes(std::move(fleet_nodes)),
        verifier(std::move(node_verifier)),
        processor(nodes, verifier, options.collectives,
                  node_agents(options.agents), stats) {}

  static void on_message(natsConnection*, natsSubscription*, natsMsg* message,
                         void* closure);
  void handle(const std::string& subject, const std::string& payload);
  void reply(const accepted_request& request, std::size_t begin,
             std::size_t end);
  void publish(const std::string& subject, const std::string& payload);
  bool subscribe(std::string* error);
  bool write_ready_file(std::string* error) const;
};

void fleet::impl::on_message(natsConnection*, natsSubscription*,
                             natsMsg* message, void* closure) {
  auto* self = static_cast<impl*>(closure);
  if (!self->stopping.load()) {
    std::string subject = natsMsg_GetSubject(message);
    std::string payload(
        natsMsg_GetData(message),
        static_cast<std::size_t>(natsMsg_GetDataLength(message)));
    self->workers->post(
        [self, subject = std::move(subject), payload = std::move(payload)] {
          self->handle(subject, payload);
        });
  }
  natsMsg_Destroy(message);
}

void fleet::impl::handle(const std::string& subject,
                         const std::string& payload) {
  auto accepted = processor.accept(subject, payload, unix_now());
  if (!accepted) return;

  auto shared = std::make_shared<const accepted_request>(std::move(*accepted));
  auto due = task_queue::clock::now() +
             reply_delay(options.agents, shared->request.env.agent);
  auto count = shared->targets.size();
  for (std::size_t begin = 0; begin < count; begin += nodes_per_task) {
    auto end = std::min(count, begin + nodes_per_task);
    workers->post_at(
        due, [this, shared, begin, end] { reply(*shared, begin, end); });
  }
}

void fleet::impl::reply(const accepted_request& accepted, std::size_t begin,
                        std::size_t end) {
  const auto& request = accepted.request;
  for (std::size_t i = begin; i < end && !stopping.load(); ++i) {
    const auto& node = nodes.nodes()[accepted.targets[i]];
    auto now = unix_now();
    auto text = run_agent(node, options.agents, request.env.agent,
                          request.rpc_body, now, random_fraction());
    if (!text) {
      stats.no_reply.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    publish(request.headers.reply_to,
            choria::encode_reply(request.env.request_id, node.identity,
                                 request.env.agent, now, *text));
  }
}

void fleet::impl::publish(const std::string& subject,
                          const std::string& payload) {
  natsStatus s =
      natsConnection_Publish(connection, subject.c_str(), payload.data(),
                             static_cast<int>(payload.size()));
  if (s == NATS_OK) {
    stats.replies.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  stats.publish_errors.fetch_add(1, std::memory_order_relaxed);

  // At most one log line a second, since a lost connection fails every reply.
  auto now = unix_now();
  auto last = last_publish_error_log.load();
  if (now > last && last_publish_error_log.compare_exchange_strong(last, now)) {
    logger("sim")->error("publishing a reply to {} failed: {} ({} failures)",
                         subject, natsStatus_GetText(s),
                         stats.publish_errors.load());
  }
}

bool fleet::impl::subscribe(std::string* error) {
  for (const auto& collective : options.collectives) {
    for (const auto& agent : node_agents(options.agents)) {
      subjects.push_back(choria::broadcast_subject(collective, agent));
    }
    subjects.push_back(collective + ".node.>");
  }

  for (const auto& subject : subjects) {
    natsSubscription* subscription = nullptr;
    natsStatus s = natsConnection_Subscribe(&subscription, connection,
                                            subject.c_str(), on_message, this);
    if (s == NATS_OK) {
      subscriptions.push_back(subscription);
      s = natsSubscription_SetPendingLimits(subscription, 1'000'000, 1 << 30);
    }
    if (s != NATS_OK) {
      *error = "cannot subscribe to " + subject + ": " + natsStatus_GetText(s);
      return false;
    }
  }

  natsStatus s = natsConnection_FlushTimeout(connection, 10'000);
  if (s != NATS_OK) {
    *error = std::string("NATS did not confirm the subscriptions: ") +
             natsStatus_GetText(s);
    return false;
  }
  return true;
}

bool fleet::impl::write_ready_file(std::string* error) const {
  if (options.ready_path.empty()) return true;
  nlohmann::json ready = {{"pid", ::getpid()},
                          {"nodes", nodes.nodes().size()},
                          {"subjects", subjects}};
  return pki::write_file(options.ready_path, ready.dump() + "\n", 0644, error);
}

fleet::fleet(std::unique_ptr<impl> state) : impl_(std::move(state)) {}

fleet::~fleet() { stop(); }

std::unique_ptr<fleet> fleet::create(fleet_options options,
                                     std::string* error) {
  if (options.collectives.empty()) options.collectives = {"mcollective"};
  if (options.privileged.empty()) {
    options.privileged = choria::default_privileged_patterns();
  }
  if (options.allowed.empty()) {
    options.allowed = choria::default_allowed_patterns();
  }
  options.agents.collectives = options.collectives;

  auto nodes = node_set::create(options, error);
  if (!nodes) return nullptr;
  auto verifier = choria::node_verifier::create(
      options.ca_path, options.privileged, options.allowed, error);
  if (!verifier) return nullptr;

  auto state = std::make_unique<impl>(std::move(options), std::move(*nodes),
                                      std::move(*verifier));
  return std::unique_ptr<fleet>(new fleet(std::move(state)));
}

bool fleet::start(std::string* error) {
  auto& state = *impl_;
  state.workers = std::make_unique<task_queue>(state.options.workers);
  state.connection = connect_nats(state.options, &state.stopping, error);
  if (state.connection == nullptr) return false;
  if (!state.subscribe(error)) return false;

  auto log = logger("sim");
  log->info("simulating {} nodes in collectives {} on subjects {}",
            state.nodes.nodes().size(),
            nlohmann::json(state.options.collectives).dump(),
            nlohmann::json(state.subjects).dump());
  return state.write_ready_file(error);
}

void fleet::stop() {
  auto& state = *impl_;
  if (state.stopping.exchange(true)) return;

  for (auto* subscription : state.subscriptions) {
    natsSubscription_Unsubscribe(subscription);
    natsSubscription_Destroy(subscription);
  }
  state.subscriptions.clear();
  if (state.workers) state.workers->stop();
  if (state.connection != nullptr) {
    natsConnection_FlushTimeout(state.connection, 2'000);
    natsConnection_Close(state.connection);
    natsConnection_Destroy(state.connection);
    state.connection = nullptr;
  }
  logger("sim")->info("stopped; counters {}", state.stats.to_json().dump());
}

bool fleet::write_stats(std::string* error) const {
  if (impl_->options.stats_path.empty()) return true;
  return impl_->stats.write_file(impl_->options.stats_path, error);
}

const fleet_stats& fleet::stats() const { return impl_->stats; }

std::vector<std::string> fleet::subjects() const { return impl_->subjects; }

}  // namespace gateway::sim

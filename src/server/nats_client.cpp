#include "gateway/server/nats_client.hpp"

#include <nats/nats.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <thread>

#include "gateway/common/logging.hpp"
#include "gateway/server/broker_retry.hpp"

namespace gateway {

struct nats_client::impl {
  struct subscription_entry {
    std::string subject;
    std::string queue_group;  // empty for a plain subscription
    message_handler handler;
    natsSubscription* handle = nullptr;  // null until subscribed
  };

  natsOptions* options = nullptr;
  // Null until the first connection; set once, then owned until destroyed.
  std::atomic<natsConnection*> connection{nullptr};
  std::mutex mutex;  // guards subscriptions and setting connection
  std::list<subscription_entry> subscriptions;
  state_handler on_state;
  nats_options settings;  // for backoff and failure messages
  std::atomic<bool> connected{false};
  std::atomic<bool> closing{false};  // set before a deliberate close
  std::atomic<std::uint64_t> async_errors{0};

  // The last connection failure logged, so that a repeated one is logged
  // only after 1, 2, 4, 8 and so on failed rounds.
  std::mutex failure_mutex;
  std::string last_failure;

  // The thread that retries the first connection, and its stop signal.
  std::thread connector;
  std::mutex stop_mutex;
  std::condition_variable stop_signal;
  bool stopping = false;

  // Set by the closed callback, which nats.c runs last of all connection
  // callbacks, so that the destructor frees nothing they still use.
  std::mutex closed_mutex;
  std::condition_variable closed_signal;
  bool closed = false;

  ~impl();
};

namespace {

std::string describe(natsStatus status) {
  std::string text = natsStatus_GetText(status);
  const char* last = nats_GetLastError(nullptr);
  if (last != nullptr && *last != '\0') text += std::string(": ") + last;
  return text;
}

bool is_power_of_two(std::uint64_t value) {
  return value > 0 && (value & (value - 1)) == 0;
}

std::string connected_url(natsConnection* connection) {
  char url[256] = {0};
  if (natsConnection_GetConnectedUrl(connection, url, sizeof url) != NATS_OK)
    return "(unknown)";
  return url;
}

// Logs why a connection attempt failed, once per distinct reason and again
// after 1, 2, 4, 8 and so on failed rounds.
void log_failure(nats_client::impl* state, std::uint64_t failed_rounds,
                 int next_delay_ms, const std::string& detail) {
  std::string reason = explain_connect_failure(state->settings, detail);
  std::lock_guard<std::mutex> lock(state->failure_mutex);
  if (reason == state->last_failure && !is_power_of_two(failed_rounds)) return;
  state->last_failure = reason;
  logger("broker")->warn(
      "cannot connect to the broker: {}; retrying in {} ms (failed rounds: "
      "{})",
      reason, next_delay_ms, failed_rounds);
}

// Marks the client connected and calls the owner's state handler. Runs on the
// thread that connected, or on nats.c's callback thread after a reconnect.
void report_connected(nats_client::impl* state, natsConnection* connection) {
  {
    std::lock_guard<std::mutex> lock(state->failure_mutex);
    state->last_failure.clear();
  }
  state->connected = true;
  logger("broker")->info("connected to the broker at {}",
                         connected_url(connection));
  if (state->on_state) state->on_state(true);
}

void on_reconnected(natsConnection* connection, void* closure) {
  report_connected(static_cast<nats_client::impl*>(closure), connection);
}

void on_disconnected(natsConnection*, void* closure) {
  auto* state = static_cast<nats_client::impl*>(closure);
  if (!state->connected.exchange(false) || state->closing) return;
  logger("broker")->warn("disconnected from the broker, reconnecting");
  if (state->on_state) state->on_state(false);
}

void on_closed(natsConnection*, void* closure) {
  auto* state = static_cast<nats_client::impl*>(closure);
  if (!state->closing) {
    state->connected = false;
    logger("broker")->error(
        "the broker connection is closed and will not reconnect");
    if (state->on_state) state->on_state(false);
  }
  std::lock_guard<std::mutex> lock(state->closed_mutex);
  state->closed = true;
  state->closed_signal.notify_all();
}

// Logs asynchronous errors such as a slow consumer, which drops replies,
// on the 1st, 2nd, 4th, 8th and so on occurrence.
void on_async_error(natsConnection*, natsSubscription* subscription,
                    natsStatus status, void* closure) {
  auto* state = static_cast<nats_client::impl*>(closure);
  auto count = ++state->async_errors;
  if (!is_power_of_two(count)) return;
  std::string subject = "the connection";
  if (subscription != nullptr) {
    const char* name = natsSubscription_GetSubject(subscription);
    if (name != nullptr) subject = name;
  }
  logger("broker")->error("NATS error on {}: {} ({} errors so far)", subject,
                          natsStatus_GetText(status), count);
}

// Runs on nats.c's reconnect thread before each round of attempts over
// every server and returns the wait before that round. The thread's last
// error is why the previous round's last attempt failed; it is empty
// before the first round.
int64_t on_reconnect_delay(natsConnection*, int round, void* closure) {
  auto* state = static_cast<nats_client::impl*>(closure);
  int delay = reconnect_delay_ms(state->settings, round);
  const char* detail = nats_GetLastError(nullptr);
  if (round > 1 && detail != nullptr && *detail != '\0')
    log_failure(state, static_cast<std::uint64_t>(round - 1), delay, detail);
  return delay;
}

void on_message(natsConnection*, natsSubscription*, natsMsg* message,
                void* closure) {
  auto* handler = static_cast<nats_client::message_handler*>(closure);
  (*handler)(natsMsg_GetSubject(message),
             std::string_view(
                 natsMsg_GetData(message),
                 static_cast<std::size_t>(natsMsg_GetDataLength(message))));
  natsMsg_Destroy(message);
}

using subscription_entry = nats_client::impl::subscription_entry;

natsStatus subscribe_entry(natsConnection* connection,
                           subscription_entry& entry) {
  natsStatus status =
      entry.queue_group.empty()
          ? natsConnection_Subscribe(&entry.handle, connection,
                                     entry.subject.c_str(), on_message,
                                     &entry.handler)
          : natsConnection_QueueSubscribe(
                &entry.handle, connection, entry.subject.c_str(),
                entry.queue_group.c_str(), on_message, &entry.handler);
  if (status == NATS_OK)
    natsSubscription_SetPendingLimits(entry.handle, 1 << 20, 512 << 20);
  return status;
}

// Takes over a new connection: subscribes every subject recorded so far,
// then reports the client connected.
void attach(nats_client::impl* state, natsConnection* connection) {
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    state->connection = connection;
    for (auto& entry : state->subscriptions) {
      natsStatus status = subscribe_entry(connection, entry);
      if (status != NATS_OK)
        logger("broker")->error("cannot subscribe to {}: {}", entry.subject,
                                describe(status));
      else
        logger("broker")->info("subscribed to {}", entry.subject);
    }
  }
  report_connected(state, connection);
}

// Makes one connection attempt over every server. On success attaches the
// connection; on failure returns the reason.
bool try_connect(nats_client::impl* state, std::string* reason) {
  natsConnection* connection = nullptr;
  natsStatus status = natsConnection_Connect(&connection, state->options);
  if (status == NATS_OK) {
    attach(state, connection);
    return true;
  }
  const char* detail = nats_GetLastError(nullptr);
  *reason = detail != nullptr && *detail != '\0' ? detail
                                                 : natsStatus_GetText(status);
  return false;
}

// The wait after failed_rounds failed rounds of connection attempts.
int delay_after(const nats_client::impl* state, std::uint64_t failed_rounds) {
  return reconnect_delay_ms(
      state->settings,
      static_cast<int>(std::min<std::uint64_t>(failed_rounds, 64)));
}

// Retries the first connection with backoff until it succeeds or the
// client is destroyed. nats.c takes over reconnecting from then on.
void run_connector(nats_client::impl* state) {
  for (std::uint64_t failed_rounds = 1;; ++failed_rounds) {
    auto delay = std::chrono::milliseconds(delay_after(state, failed_rounds));
    {
      std::unique_lock<std::mutex> lock(state->stop_mutex);
      if (state->stop_signal.wait_for(lock, delay,
                                      [state] { return state->stopping; }))
        return;
    }
    std::string reason;
    if (try_connect(state, &reason)) return;
    log_failure(state, failed_rounds + 1, delay_after(state, failed_rounds + 1),
                reason);
  }
}

std::string with_scheme(const std::string& server, bool tls) {
  if (server.find("://") != std::string::npos) return server;
  return (tls ? "tls://" : "nats://") + server;
}

// Sets the servers, the endless reconnects with backoff and the callbacks.
// NOTE: nats.c 3.4.1's retry of a failed first connection
// (natsOptions_SetRetryOnFailedConnect) closes the connection for good when
// a TLS handshake failed, so run_connector retries the first connection.
natsStatus apply_options(natsOptions* opts, const nats_options& options,
                         nats_client::impl* state) {
  std::vector<std::string> urls;
  for (const auto& server : options.servers)
    urls.push_back(with_scheme(server, options.tls));
  std::vector<const char*> url_pointers;
  for (const auto& url : urls) url_pointers.push_back(url.c_str());

  natsStatus status = natsOptions_SetServers(
      opts, url_pointers.data(), static_cast<int>(url_pointers.size()));
  if (status == NATS_OK)
    status = natsOptions_SetName(opts, options.name.c_str());
  if (status == NATS_OK) status = natsOptions_SetMaxReconnect(opts, -1);
  if (status == NATS_OK)
    status =
        natsOptions_SetCustomReconnectDelay(opts, on_reconnect_delay, state);
  if (status == NATS_OK)
    status = natsOptions_SetReconnectedCB(opts, on_reconnected, state);
  if (status == NATS_OK)
    status = natsOptions_SetDisconnectedCB(opts, on_disconnected, state);
  if (status == NATS_OK)
    status = natsOptions_SetClosedCB(opts, on_closed, state);
  if (status == NATS_OK)
    status = natsOptions_SetErrorHandler(opts, on_async_error, state);
  if (status == NATS_OK)
    status = natsOptions_SetReconnectBufSize(opts, 64 << 20);
  return status;
}

natsStatus apply_tls(natsOptions* opts, const nats_options& options,
                     std::string* error) {
  natsStatus status = natsOptions_SetSecure(opts, true);
  if (status == NATS_OK && !options.ca_file.empty()) {
    status =
        natsOptions_LoadCATrustedCertificates(opts, options.ca_file.c_str());
    if (status != NATS_OK)
      *error = "cannot load the broker CA " + options.ca_file + ": ";
  }
  if (status == NATS_OK && !options.certificate_file.empty()) {
    status = natsOptions_LoadCertificatesChain(
        opts, options.certificate_file.c_str(), options.key_file.c_str());
    if (status != NATS_OK)
      *error = "cannot load the client certificate " +
               options.certificate_file + " or key " + options.key_file + ": ";
  }
  return status;
}

}  // namespace

nats_client::impl::~impl() {
  closing = true;
  {
    std::lock_guard<std::mutex> lock(stop_mutex);
    stopping = true;
  }
  stop_signal.notify_all();
  if (connector.joinable()) connector.join();

  natsConnection* current = connection.load();
  if (current != nullptr) {
    natsConnection_Close(current);
    std::unique_lock<std::mutex> lock(closed_mutex);
    closed_signal.wait_for(lock, std::chrono::seconds(2),
                           [this] { return closed; });
  }
  for (auto& entry : subscriptions)
    if (entry.handle != nullptr) natsSubscription_Destroy(entry.handle);
  if (current != nullptr) natsConnection_Destroy(current);
  if (options != nullptr) natsOptions_Destroy(options);
}

nats_client::nats_client(std::unique_ptr<impl> state)
    : impl_(std::move(state)) {}

nats_client::~nats_client() = default;

std::unique_ptr<nats_client> nats_client::connect(const nats_options& options,
                                                  state_handler on_state,
                                                  std::string* error) {
  auto state = std::make_unique<impl>();
  state->on_state = std::move(on_state);
  state->settings = options;
  natsStatus status = natsOptions_Create(&state->options);
  if (status == NATS_OK)
    status = apply_options(state->options, options, state.get());
  if (status == NATS_OK && options.tls)
    status = apply_tls(state->options, options, error);
  if (status != NATS_OK) {
    *error += describe(status);
    return nullptr;
  }

  std::string reason;
  if (!try_connect(state.get(), &reason)) {
    log_failure(state.get(), 1, delay_after(state.get(), 1), reason);
    auto* raw = state.get();
    state->connector = std::thread([raw] { run_connector(raw); });
  }
  return std::unique_ptr<nats_client>(new nats_client(std::move(state)));
}

bool nats_client::subscribe(const std::string& subject,
                            message_handler on_message_handler,
                            std::string* error) {
  return subscribe(subject, "", std::move(on_message_handler), error);
}

bool nats_client::subscribe(const std::string& subject,
                            const std::string& queue_group,
                            message_handler on_message_handler,
                            std::string* error) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->subscriptions.push_back(
      {subject, queue_group, std::move(on_message_handler)});
  natsConnection* connection = impl_->connection.load();
  if (connection == nullptr) return true;

  natsStatus status = subscribe_entry(connection, impl_->subscriptions.back());
  if (status != NATS_OK) {
    impl_->subscriptions.pop_back();
    *error = "cannot subscribe to " + subject + ": " + describe(status);
    return false;
  }
  logger("broker")->info("subscribed to {}", subject);
  return true;
}

bool nats_client::publish(const std::string& subject, std::string_view data,
                          std::string* error) {
  natsConnection* connection = impl_->connection.load();
  if (connection == nullptr) {
    *error = "cannot publish to " + subject +
             ": the gateway has not connected to a broker since it started";
    return false;
  }
  natsStatus status = natsConnection_Publish(
      connection, subject.c_str(), data.data(), static_cast<int>(data.size()));
  if (status == NATS_OK) return true;
  *error = "cannot publish to " + subject + ": " + describe(status);
  return false;
}

bool nats_client::flush(int timeout_ms, std::string* error) {
  natsConnection* connection = impl_->connection.load();
  if (connection == nullptr) {
    *error = "flush failed: not connected to a broker yet";
    return false;
  }
  natsStatus status = natsConnection_FlushTimeout(connection, timeout_ms);
  if (status == NATS_OK) return true;
  *error = "flush failed: " + describe(status);
  return false;
}

bool nats_client::connected() const { return impl_->connected; }

}  // namespace gateway

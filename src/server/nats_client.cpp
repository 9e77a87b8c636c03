#include "gateway/server/nats_client.hpp"

#include <nats/nats.h>

#include <atomic>
#include <list>
#include <mutex>

#include "gateway/common/logging.hpp"

namespace gateway {

struct nats_client::impl {
  natsConnection* connection = nullptr;
  natsOptions* options = nullptr;
  std::mutex mutex;  // guards subscriptions
  std::list<std::pair<natsSubscription*, message_handler>> subscriptions;
  state_handler on_state;
  std::atomic<bool> connected{false};
  std::atomic<bool> closing{false};  // set before a deliberate close

  ~impl() {
    closing = true;
    for (auto& [subscription, handler] : subscriptions)
      natsSubscription_Destroy(subscription);
    if (connection != nullptr) {
      natsConnection_Close(connection);
      natsConnection_Destroy(connection);
    }
    if (options != nullptr) natsOptions_Destroy(options);
  }
};

namespace {

std::string describe(natsStatus status) {
  std::string text = natsStatus_GetText(status);
  const char* last = nats_GetLastError(nullptr);
  if (last != nullptr && *last != '\0') text += std::string(": ") + last;
  return text;
}

void on_connected(natsConnection*, void* closure) {
  auto* state = static_cast<nats_client::impl*>(closure);
  state->connected = true;
  logger("broker")->info("connected to the broker");
  if (state->on_state) state->on_state(true);
}

void on_disconnected(natsConnection*, void* closure) {
  auto* state = static_cast<nats_client::impl*>(closure);
  if (!state->connected.exchange(false) || state->closing) return;
  logger("broker")->warn("disconnected from the broker, reconnecting");
  if (state->on_state) state->on_state(false);
}

void on_message(natsConnection*, natsSubscription*, natsMsg* message,
                void* closure) {
  auto* handler = static_cast<nats_client::message_handler*>(closure);
  (*handler)(natsMsg_GetSubject(message),
             std::string_view(natsMsg_GetData(message),
                              static_cast<std::size_t>(
                                  natsMsg_GetDataLength(message))));
  natsMsg_Destroy(message);
}

std::string with_scheme(const std::string& server, bool tls) {
  if (server.find("://") != std::string::npos) return server;
  return (tls ? "tls://" : "nats://") + server;
}

natsStatus apply_options(natsOptions* opts, const nats_options& options,
                         nats_client::impl* state) {
  std::vector<std::string> urls;
  for (const auto& server : options.servers)
    urls.push_back(with_scheme(server, options.tls));
  std::vector<const char*> url_pointers;
  for (const auto& url : urls) url_pointers.push_back(url.c_str());

  natsStatus status = natsOptions_SetServers(
      opts, url_pointers.data(), static_cast<int>(url_pointers.size()));
  if (status == NATS_OK) status = natsOptions_SetName(opts, options.name.c_str());
  if (status == NATS_OK) status = natsOptions_SetMaxReconnect(opts, -1);
  if (status == NATS_OK)
    status = natsOptions_SetReconnectWait(opts, options.reconnect_wait_ms);
  if (status == NATS_OK)
    status = natsOptions_SetRetryOnFailedConnect(opts, true, on_connected,
                                                 state);
  if (status == NATS_OK)
    status = natsOptions_SetReconnectedCB(opts, on_connected, state);
  if (status == NATS_OK)
    status = natsOptions_SetDisconnectedCB(opts, on_disconnected, state);
  if (status == NATS_OK) status = natsOptions_SetReconnectBufSize(opts, 64 << 20);
  return status;
}

natsStatus apply_tls(natsOptions* opts, const nats_options& options,
                     std::string* error) {
  natsStatus status = natsOptions_SetSecure(opts, true);
  if (status == NATS_OK && !options.ca_file.empty()) {
    status = natsOptions_LoadCATrustedCertificates(opts,
                                                   options.ca_file.c_str());
    if (status != NATS_OK)
      *error = "cannot load the broker CA " + options.ca_file + ": ";
  }
  if (status == NATS_OK && !options.certificate_file.empty()) {
    status = natsOptions_LoadCertificatesChain(
        opts, options.certificate_file.c_str(), options.key_file.c_str());
    if (status != NATS_OK)
      *error = "cannot load the client certificate " +
               options.certificate_file + " or key " + options.key_file +
               ": ";
  }
  return status;
}

}  // namespace

nats_client::nats_client(std::unique_ptr<impl> state)
    : impl_(std::move(state)) {}

nats_client::~nats_client() = default;

std::unique_ptr<nats_client> nats_client::connect(const nats_options& options,
                                                  state_handler on_state,
                                                  std::string* error) {
  auto state = std::make_unique<impl>();
  state->on_state = std::move(on_state);
  natsStatus status = natsOptions_Create(&state->options);
  if (status == NATS_OK) status = apply_options(state->options, options,
                                                state.get());
  if (status == NATS_OK && options.tls)
    status = apply_tls(state->options, options, error);
  if (status != NATS_OK) {
    *error += describe(status);
    return nullptr;
  }

  status = natsConnection_Connect(&state->connection, state->options);
  if (status == NATS_OK) {
    state->connected = true;
    logger("broker")->info("connected to the broker");
  } else if (status == NATS_NOT_YET_CONNECTED) {
    logger("broker")->warn("no broker reachable yet, retrying in the background");
  } else {
    *error = "cannot connect to the broker: " + describe(status);
    return nullptr;
  }
  return std::unique_ptr<nats_client>(new nats_client(std::move(state)));
}

bool nats_client::subscribe(const std::string& subject,
                            message_handler on_message_handler,
                            std::string* error) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->subscriptions.emplace_back(nullptr, std::move(on_message_handler));
  auto& entry = impl_->subscriptions.back();
  natsStatus status =
      natsConnection_Subscribe(&entry.first, impl_->connection,
                               subject.c_str(), on_message, &entry.second);
  if (status != NATS_OK) {
    impl_->subscriptions.pop_back();
    *error = "cannot subscribe to " + subject + ": " + describe(status);
    return false;
  }
  natsSubscription_SetPendingLimits(entry.first, 1 << 20, 512 << 20);
  return true;
}

bool nats_client::publish(const std::string& subject, std::string_view data,
                          std::string* error) {
  natsStatus status = natsConnection_Publish(
      impl_->connection, subject.c_str(), data.data(),
      static_cast<int>(data.size()));
  if (status == NATS_OK) return true;
  *error = "cannot publish to " + subject + ": " + describe(status);
  return false;
}

bool nats_client::flush(int timeout_ms, std::string* error) {
  natsStatus status = natsConnection_FlushTimeout(impl_->connection,
                                                  timeout_ms);
  if (status == NATS_OK) return true;
  *error = "flush failed: " + describe(status);
  return false;
}

bool nats_client::connected() const { return impl_->connected; }

}  // namespace gateway

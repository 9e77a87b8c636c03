#include "nats_connect.hpp"

#include <atomic>
#include <memory>
#include <vector>

#include "gateway/common/logging.hpp"

namespace gateway::sim {
namespace {

struct options_deleter {
  void operator()(natsOptions* options) const { natsOptions_Destroy(options); }
};
using options_handle = std::unique_ptr<natsOptions, options_deleter>;

std::string connected_url(natsConnection* connection) {
  char url[256] = {0};
  if (natsConnection_GetConnectedUrl(connection, url, sizeof url) != NATS_OK) {
    return "(unknown)";
  }
  return url;
}

// closure is the fleet's stopping flag, since stop() disconnects on purpose.
void on_disconnected(natsConnection* connection, void* closure) {
  const auto* stopping = static_cast<const std::atomic<bool>*>(closure);
  if (stopping != nullptr && stopping->load()) return;
  logger("sim")->warn("disconnected from NATS; reconnecting");
}

void on_reconnected(natsConnection* connection, void*) {
  logger("sim")->info("reconnected to NATS at {}", connected_url(connection));
}

void on_closed(natsConnection*, void*) {
  logger("sim")->info("NATS connection closed");
}

void on_error(natsConnection*, natsSubscription*, natsStatus status, void*) {
  logger("sim")->error("NATS error: {}", natsStatus_GetText(status));
}

std::string describe_failure(natsStatus status) {
  std::string text = natsStatus_GetText(status);
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (detail != nullptr && *detail != '\0') text += std::string(": ") + detail;
  return text;
}

// Applies URLs, reconnect policy, callbacks and TLS to options.
natsStatus configure(natsOptions* options, const fleet_options& fleet,
                     const std::vector<const char*>& urls,
                     const std::atomic<bool>* stopping) {
  natsStatus s =
      natsOptions_SetServers(options, const_cast<const char**>(urls.data()),
                             static_cast<int>(urls.size()));
  if (s == NATS_OK) s = natsOptions_SetName(options, "choria-fleet-sim");
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(options, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(options, 1000);
  if (s == NATS_OK) {
    s = natsOptions_SetDisconnectedCB(
        options, on_disconnected,
        const_cast<void*>(static_cast<const void*>(stopping)));
  }
  if (s == NATS_OK) {
    s = natsOptions_SetReconnectedCB(options, on_reconnected, nullptr);
  }
  if (s == NATS_OK) s = natsOptions_SetClosedCB(options, on_closed, nullptr);
  if (s == NATS_OK) s = natsOptions_SetErrorHandler(options, on_error, nullptr);

  bool tls = !fleet.tls_ca.empty() || !fleet.tls_cert.empty();
  if (s == NATS_OK && tls) s = natsOptions_SetSecure(options, true);
  if (s == NATS_OK && !fleet.tls_ca.empty()) {
    s = natsOptions_LoadCATrustedCertificates(options, fleet.tls_ca.c_str());
  }
  if (s == NATS_OK && !fleet.tls_cert.empty()) {
    s = natsOptions_LoadCertificatesChain(options, fleet.tls_cert.c_str(),
                                          fleet.tls_key.c_str());
  }
  return s;
}

}  // namespace

std::vector<std::string> split_server_urls(
    const std::vector<std::string>& values) {
  std::vector<std::string> urls;
  for (const auto& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      auto comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      auto url = value.substr(start, comma - start);
      if (!url.empty()) urls.push_back(url);
      start = comma + 1;
    }
  }
  return urls;
}

natsConnection* connect_nats(const fleet_options& fleet,
                             const std::atomic<bool>* stopping,
                             std::string* error) {
  auto servers = split_server_urls(fleet.servers);
  if (servers.empty()) servers.push_back("nats://127.0.0.1:4222");
  std::vector<const char*> urls;
  for (const auto& server : servers) urls.push_back(server.c_str());

  natsOptions* raw = nullptr;
  natsStatus s = natsOptions_Create(&raw);
  options_handle options(raw);
  if (s == NATS_OK) s = configure(options.get(), fleet, urls, stopping);
  if (s != NATS_OK) {
    *error = "invalid NATS options: " + describe_failure(s);
    return nullptr;
  }

  natsConnection* connection = nullptr;
  s = natsConnection_Connect(&connection, options.get());
  if (s != NATS_OK) {
    std::string joined;
    for (const auto& server : servers) {
      joined += (joined.empty() ? "" : ",") + server;
    }
    *error = "cannot connect to NATS at " + joined + ": " + describe_failure(s);
    return nullptr;
  }
  logger("sim")->info("connected to NATS at {}", connected_url(connection));
  return connection;
}

}  // namespace gateway::sim

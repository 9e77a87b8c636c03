#include "bench/tool/nats_session.hpp"

#include <fstream>

namespace gateway::bench {
namespace {

std::string describe(natsStatus status) {
  std::string text = natsStatus_GetText(status);
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (detail != nullptr && *detail != '\0') text += std::string(": ") + detail;
  return text;
}

natsStatus configure(natsOptions* options, const nats_settings& settings) {
  natsStatus s = natsOptions_SetURL(options, settings.url.c_str());
  if (s == NATS_OK) s = natsOptions_SetName(options, "bench_tool");
  // Replies arrive in bursts of many thousands.
  if (s == NATS_OK) s = natsOptions_SetMaxPendingMsgs(options, 1'000'000);
  if (s == NATS_OK && !settings.tls_ca.empty()) {
    s = natsOptions_SetSecure(options, true);
    if (s == NATS_OK)
      s = natsOptions_LoadCATrustedCertificates(options,
                                                settings.tls_ca.c_str());
  }
  if (s == NATS_OK && !settings.tls_cert.empty())
    s = natsOptions_LoadCertificatesChain(options, settings.tls_cert.c_str(),
                                          settings.tls_key.c_str());
  return s;
}

}  // namespace

nats_connection connect(const nats_settings& settings, std::string* error) {
  natsOptions* options = nullptr;
  natsStatus s = natsOptions_Create(&options);
  if (s == NATS_OK) s = configure(options, settings);
  natsConnection* connection = nullptr;
  if (s == NATS_OK) s = natsConnection_Connect(&connection, options);
  natsOptions_Destroy(options);
  if (s != NATS_OK) {
    *error = "connecting to " + settings.url + " failed: " + describe(s);
    return nullptr;
  }
  return nats_connection(connection);
}

bool announce_ready(natsConnection* connection, const std::string& path,
                    std::string* error) {
  natsStatus s = natsConnection_FlushTimeout(connection, 10'000);
  if (s != NATS_OK) {
    *error = "flushing the subscriptions failed: " + describe(s);
    return false;
  }
  if (path.empty()) return true;
  std::ofstream out(path);
  out << "ready\n";
  if (!out.flush()) {
    *error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace gateway::bench

#include "gateway/server/broker_retry.hpp"

#include <algorithm>
#include <cstdint>
#include <regex>

namespace gateway {
namespace {

bool contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

int reconnect_delay_ms(const nats_options& options, int round) {
  std::int64_t delay = std::max(options.reconnect_wait_ms, 1);
  for (int i = 1; i < round && delay < options.max_reconnect_wait_ms; ++i)
    delay *= 2;
  return static_cast<int>(std::min<std::int64_t>(
      delay,
      std::max(options.max_reconnect_wait_ms, options.reconnect_wait_ms)));
}

std::string explain_connect_failure(const nats_options& options,
                                    const std::string& detail) {
  // nats.c 3.4 reports a failed check of the server certificate as
  // "SSL handshake error: <X509 error code>:<reason>:...", and OpenSSL
  // itself as "certificate verify failed".
  static const std::regex verify_error(R"(SSL handshake error: \d+:)");
  if (contains(detail, "mismatch:"))
    return "the broker's certificate does not name the host or IP address "
           "of its URL in plugin.choria.middleware_hosts: " +
           detail;
  if (std::regex_search(detail, verify_error) ||
      contains(detail, "certificate verify failed"))
    return "the broker's certificate did not verify against the CA " +
           options.ca_file + " (plugin.security.file.ca): " + detail;

  // nats-server closes the connection without a reply to CONNECT when it
  // rejects the client certificate, which nats.c reports as an empty reply
  // in place of PONG. Other TLS stacks send an alert that OpenSSL reports.
  bool closed_after_handshake = contains(detail, "Expected 'PONG', got ''");
  bool alert = contains(detail, "alert") && (contains(detail, "certificate") ||
                                             contains(detail, "unknown ca"));
  if (options.tls && (closed_after_handshake || alert))
    return "the broker closed the connection after the TLS handshake, as "
           "nats-server does when it rejects the client certificate; check "
           "that " +
           options.certificate_file +
           " (plugin.security.file.certificate) chains to a CA in the "
           "broker's tls ca_file: " +
           detail;
  return detail;
}

}  // namespace gateway

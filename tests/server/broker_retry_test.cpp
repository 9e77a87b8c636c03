// Reconnect backoff and the broker connection failure messages.
#include "gateway/server/broker_retry.hpp"

#include <gtest/gtest.h>

namespace gateway {
namespace {

nats_options tls_options() {
  nats_options options;
  options.tls = true;
  options.ca_file = "/etc/gateway/ca.pem";
  options.certificate_file = "/etc/gateway/gateway.pem";
  options.key_file = "/etc/gateway/gateway-key.pem";
  return options;
}

TEST(ReconnectDelay, DoublesUpToTheMaximum) {
  nats_options options;
  options.reconnect_wait_ms = 500;
  options.max_reconnect_wait_ms = 5000;
  EXPECT_EQ(reconnect_delay_ms(options, 1), 500);
  EXPECT_EQ(reconnect_delay_ms(options, 2), 1000);
  EXPECT_EQ(reconnect_delay_ms(options, 4), 4000);
  EXPECT_EQ(reconnect_delay_ms(options, 5), 5000);
  EXPECT_EQ(reconnect_delay_ms(options, 1'000'000), 5000);
}

TEST(ReconnectDelay, MaximumBelowFirstWaitKeepsFirstWait) {
  nats_options options;
  options.reconnect_wait_ms = 800;
  options.max_reconnect_wait_ms = 100;
  EXPECT_EQ(reconnect_delay_ms(options, 1), 800);
  EXPECT_EQ(reconnect_delay_ms(options, 3), 800);
}

TEST(ConnectFailure, UnverifiedBrokerNamesTheCa) {
  for (const char* detail :
       {"SSL Error: (conn.c:733): SSL handshake error: 20:unable to get local "
        "issuer certificate:depth=0:cert=/CN=localhost:issuer=/CN=Other CA",
        "SSL handshake error: error:0A000086:SSL routines::certificate "
        "verify failed"}) {
    auto message = explain_connect_failure(tls_options(), detail);
    EXPECT_NE(message.find("the broker's certificate did not verify against "
                           "the CA /etc/gateway/ca.pem"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(detail), std::string::npos) << message;
  }
}

TEST(ConnectFailure, HostMismatchNamesTheUrl) {
  auto message = explain_connect_failure(
      tls_options(),
      "SSL handshake error: 64:IP address mismatch:depth=0:cert=/CN=nats1:"
      "issuer=/CN=CA");
  EXPECT_NE(message.find("does not name the host or IP address of its URL"),
            std::string::npos)
      << message;
}

TEST(ConnectFailure, ClosedAfterHandshakeNamesTheClientCertificate) {
  for (const char* detail :
       {"Protocol Error: (conn.c:1909): Expected 'PONG', got ''",
        "error:0A000418:SSL routines::tlsv1 alert unknown ca",
        "error:0A000412:SSL routines::sslv3 alert bad certificate"}) {
    auto message = explain_connect_failure(tls_options(), detail);
    EXPECT_NE(message.find("rejects the client certificate; check that "
                           "/etc/gateway/gateway.pem"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(detail), std::string::npos) << message;
  }
}

TEST(ConnectFailure, EmptyReplyWithoutTlsPassesThrough) {
  nats_options options;
  std::string detail = "Protocol Error: Expected 'PONG', got ''";
  EXPECT_EQ(explain_connect_failure(options, detail), detail);
}

TEST(ConnectFailure, OtherFailuresPassThrough) {
  EXPECT_EQ(explain_connect_failure(tls_options(), "Connection refused"),
            "Connection refused");
}

}  // namespace
}  // namespace gateway

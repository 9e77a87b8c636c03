// The gateway's settings, read from a Choria-style configuration file.
// Connection and security keys reuse Choria's names; the gateway's own keys
// start with `gateway.`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/common/config_file.hpp"
#include "gateway/server/monitoring_settings.hpp"

namespace gateway {

struct settings {
  // HTTP listener: gateway.listen = ADDRESS:PORT.
  std::string listen_address = "127.0.0.1";
  unsigned short listen_port = 8080;
  std::size_t http_threads = 2;
  // 512 KiB keeps a signed request, about 1.4 times the body, under
  // nats-server's default max_payload of 1 MiB.
  std::size_t max_body_bytes = 512 << 10;

  // gateway.tls.certificate and gateway.tls.key: HTTPS on the listener
  // (TLS 1.2 or newer) when both are set.
  std::string listen_certificate_file;
  std::string listen_key_file;
  // gateway.listen_plain_http: serve plain HTTP when no TLS files are set.
  // Without TLS files and without this key the gateway does not start.
  bool listen_plain_http = false;

  std::string data_dir;     // gateway.data_dir
  bool log_sync = true;     // gateway.log.sync
  std::string users_file;   // gateway.users_file
  std::string policy_file;  // gateway.policy_file

  std::string token_secret_file;          // gateway.token.secret_file
  std::int64_t token_lifetime_seconds = 3600;  // gateway.token.lifetime
  std::string token_issuer = "choria-rest-gateway";
  // gateway.token.previous_secret_files: older secrets that still verify
  // the tokens they signed but sign no new ones, for key rotation.
  std::vector<std::string> token_previous_secret_files;
  // gateway.token.clock_skew: seconds of tolerated clock difference when
  // checking exp and iat.
  std::int64_t token_clock_skew_seconds = 30;

  // Failed logins allowed per username (gateway.throttle.user_failures)
  // and per client address (gateway.throttle.address_failures) within a
  // window of gateway.throttle.window seconds before logins get 429.
  std::size_t throttle_user_failures = 5;
  std::size_t throttle_address_failures = 20;
  std::int64_t throttle_window_seconds = 300;
  // gateway.limits.user_requests_in_flight: RPC requests one user may have
  // running at once before submits get 429; 0 for no cap.
  std::size_t user_requests_in_flight = 20;
  // gateway.signers: signer actors, each signing on one core at most; 0
  // for one per core.
  std::size_t signers = 0;
  // gateway.limits.signing_backlog: requests waiting for a signature
  // beyond which submits get 503 with Retry-After; 0 for no cap.
  std::size_t signing_backlog = 1000;

  // gateway.callerid_format: "{user}" is replaced by the username.
  std::string callerid_format = "choria={user}";

  // plugin.security.file.certificate / .key / .ca
  std::string certificate_file;
  std::string key_file;
  std::string ca_file;
  // plugin.choria.security.privileged_users
  std::vector<std::string> privileged_patterns;

  // plugin.choria.middleware_hosts, as nats:// or tls:// URLs or host:port.
  std::vector<std::string> middleware_hosts;
  bool broker_tls = true;  // gateway.broker.tls
  std::string main_collective = "mcollective";
  std::vector<std::string> collectives;  // always contains main_collective

  std::string identity;  // identity: the senderid of requests
  std::int64_t default_timeout_seconds = 10;
  std::int64_t default_discovery_timeout_seconds = 2;
  std::size_t max_page_size = 1000;  // gateway.max_page_size
  // gateway.ddl_dir: agent DDLs (JSON) that requests are validated against.
  std::string ddl_dir;
  // gateway.allow_agents_without_ddl: accept requests for agents that have
  // no DDL, unvalidated.
  bool allow_agents_without_ddl = false;
  std::string log_level = "info";    // loglevel
  monitoring_settings monitoring;  // gateway.metrics.*, gateway.log.*

  // gateway.retention.max_age: finished requests older than this many
  // seconds are removed (0 keeps them). gateway.retention.max_requests:
  // the oldest finished requests are removed while more remain (0: no
  // limit). gateway.retention.interval: seconds between retention runs.
  std::int64_t retention_max_age_seconds = 0;
  std::uint64_t retention_max_requests = 0;
  std::int64_t retention_interval_seconds = 60;

  // Parses and checks every known key; paths are resolved against base_dir
  // when relative. Unknown `gateway.` keys are rejected so that a typo does
  // not silently fall back to a default.
  static std::optional<settings> from_config(const config_file& config,
                                             const std::string& base_dir,
                                             std::string* error);
  static std::optional<settings> load(const std::string& path,
                                      std::string* error);

  // Reads the gateway.retention.* keys into out; false and *error naming
  // the key when one is invalid.
  static bool read_retention(const config_file& config, settings& out,
                             std::string* error);

  // Reads gateway.signers and gateway.limits.signing_backlog into out;
  // false and *error naming the key when one is invalid.
  static bool read_signing(const config_file& config, settings& out,
                           std::string* error);

  // Why serve may not start the listener: neither TLS files nor
  // gateway.listen_plain_http are set. nullopt when it may start.
  [[nodiscard]] std::optional<std::string> listener_problem() const;

  // The callerid for a username, from callerid_format.
  std::string callerid_for(const std::string& username) const;
};

}  // namespace gateway

#include "gateway/server/settings.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace gateway {
namespace {

const std::set<std::string> known_gateway_keys = {
    "gateway.listen",          "gateway.http_threads",
    "gateway.max_body_bytes",  "gateway.data_dir",
    "gateway.log.sync",        "gateway.users_file",
    "gateway.policy_file",     "gateway.token.secret_file",
    "gateway.token.lifetime",  "gateway.token.issuer",
    "gateway.callerid_format", "gateway.broker.tls",
    "gateway.default_timeout", "gateway.default_discovery_timeout",
    "gateway.max_page_size",   "gateway.ddl_dir",
    "gateway.allow_agents_without_ddl", "gateway.tls.certificate",
    "gateway.tls.key",         "gateway.retention.max_age",
    "gateway.retention.max_requests", "gateway.retention.interval",
    "gateway.token.previous_secret_files", "gateway.token.clock_skew",
    "gateway.throttle.user_failures", "gateway.throttle.address_failures",
    "gateway.throttle.window", "gateway.limits.user_requests_in_flight",
    "gateway.signers",         "gateway.limits.signing_backlog",
    "gateway.listen_plain_http",
};

std::string resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path.front() == '/' || base_dir.empty()) return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal();
}

bool parse_listen(const std::string& text, settings& out, std::string* error) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    *error = "gateway.listen must be ADDRESS:PORT, got `" + text + "`";
    return false;
  }
  out.listen_address = text.substr(0, colon);
  if (out.listen_address.size() > 2 && out.listen_address.front() == '[')
    out.listen_address =
        out.listen_address.substr(1, out.listen_address.size() - 2);
  auto port_text = text.substr(colon + 1);
  char* end = nullptr;
  long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port < 0 || port > 65535) {
    *error = "gateway.listen has an invalid port `" + port_text + "`";
    return false;
  }
  out.listen_port = static_cast<unsigned short>(port);
  return true;
}

std::string local_hostname() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "localhost";
  return name;
}

bool check_keys(const config_file& config, std::string* error) {
  for (const auto& [key, value] : config.entries()) {
    if (key.rfind("gateway.", 0) == 0 && !known_gateway_keys.count(key) &&
        !monitoring_settings::is_monitoring_key(key)) {
      *error = "unknown configuration key " + key;
      return false;
    }
  }
  return true;
}

bool read_numbers(const config_file& config, settings& out,
                  std::string* error) {
  auto threads = config.get_integer("gateway.http_threads", 2, error);
  auto body = config.get_integer("gateway.max_body_bytes", 512 << 10, error);
  auto lifetime = config.get_integer("gateway.token.lifetime", 3600, error);
  auto skew = config.get_integer("gateway.token.clock_skew", 30, error);
  auto timeout = config.get_integer("gateway.default_timeout", 10, error);
  auto discovery =
      config.get_integer("gateway.default_discovery_timeout", 2, error);
  auto page = config.get_integer("gateway.max_page_size", 1000, error);
  auto sync = config.get_bool("gateway.log.sync", true, error);
  auto tls = config.get_bool("gateway.broker.tls", true, error);
  auto without_ddl =
      config.get_bool("gateway.allow_agents_without_ddl", false, error);
  auto plain_http = config.get_bool("gateway.listen_plain_http", false, error);
  if (!threads || !body || !lifetime || !skew || !timeout || !discovery ||
      !page || !sync || !tls || !without_ddl || !plain_http)
    return false;
  out.allow_agents_without_ddl = *without_ddl;
  out.listen_plain_http = *plain_http;
  const std::pair<const char*, bool> checks[] = {
      {"gateway.http_threads must be at least 1", *threads >= 1},
      {"gateway.max_body_bytes must be at least 1024", *body >= 1024},
      {"gateway.token.lifetime must be at least 60 seconds", *lifetime >= 60},
      {"gateway.token.clock_skew must be from 0 to 600 seconds",
       *skew >= 0 && *skew <= 600},
      {"gateway.default_timeout must be at least 1 second", *timeout >= 1},
      {"gateway.default_discovery_timeout must be at least 1 second",
       *discovery >= 1},
      {"gateway.max_page_size must be at least 1", *page >= 1},
  };
  for (const auto& [message, valid] : checks) {
    if (valid) continue;
    *error = message;
    return false;
  }
  out.http_threads = static_cast<std::size_t>(*threads);
  out.max_body_bytes = static_cast<std::size_t>(*body);
  out.token_lifetime_seconds = *lifetime;
  out.token_clock_skew_seconds = *skew;
  out.default_timeout_seconds = *timeout;
  out.default_discovery_timeout_seconds = *discovery;
  out.max_page_size = static_cast<std::size_t>(*page);
  out.log_sync = *sync;
  out.broker_tls = *tls;
  return true;
}

// Reads the login throttle and the per-user request limit.
bool read_throttle(const config_file& config, settings& out,
                   std::string* error) {
  auto user = config.get_integer("gateway.throttle.user_failures", 5, error);
  auto address =
      config.get_integer("gateway.throttle.address_failures", 20, error);
  auto window = config.get_integer("gateway.throttle.window", 300, error);
  auto in_flight =
      config.get_integer("gateway.limits.user_requests_in_flight", 20, error);
  if (!user || !address || !window || !in_flight) return false;
  if (*in_flight < 0) {
    *error = "gateway.limits.user_requests_in_flight must be 0 (no cap) or "
             "more";
    return false;
  }
  if (*user < 1 || *address < 1) {
    *error = "gateway.throttle.user_failures and "
             "gateway.throttle.address_failures must be at least 1";
    return false;
  }
  if (*window < 1 || *window > 86400) {
    *error = "gateway.throttle.window must be from 1 to 86400 seconds";
    return false;
  }
  out.throttle_user_failures = static_cast<std::size_t>(*user);
  out.throttle_address_failures = static_cast<std::size_t>(*address);
  out.throttle_window_seconds = *window;
  out.user_requests_in_flight = static_cast<std::size_t>(*in_flight);
  return true;
}

bool require(const std::string& value, const char* key, std::string* error) {
  if (!value.empty()) return true;
  *error = std::string("missing required configuration key ") + key;
  return false;
}

}  // namespace

std::optional<settings> settings::from_config(const config_file& config,
                                              const std::string& base_dir,
                                              std::string* error) {
  settings out;
  if (!check_keys(config, error) || !read_numbers(config, out, error) ||
      !monitoring_settings::read(config, out.monitoring, error) ||
      !read_throttle(config, out, error))
    return std::nullopt;
  if (config.contains("gateway.listen") &&
      !parse_listen(config.get("gateway.listen"), out, error))
    return std::nullopt;
  if (!read_retention(config, out, error)) return std::nullopt;
  if (!read_signing(config, out, error)) return std::nullopt;

  out.data_dir = resolve(base_dir, config.get("gateway.data_dir"));
  out.users_file = resolve(base_dir, config.get("gateway.users_file"));
  out.policy_file = resolve(base_dir, config.get("gateway.policy_file"));
  out.ddl_dir = resolve(base_dir, config.get("gateway.ddl_dir"));
  out.listen_certificate_file =
      resolve(base_dir, config.get("gateway.tls.certificate"));
  out.listen_key_file = resolve(base_dir, config.get("gateway.tls.key"));
  if (out.listen_certificate_file.empty() != out.listen_key_file.empty()) {
    *error = "gateway.tls.certificate and gateway.tls.key must be set "
             "together";
    return std::nullopt;
  }
  out.token_secret_file =
      resolve(base_dir, config.get("gateway.token.secret_file"));
  for (const auto& path :
       config.get_list("gateway.token.previous_secret_files"))
    out.token_previous_secret_files.push_back(resolve(base_dir, path));
  out.token_issuer = config.get("gateway.token.issuer", out.token_issuer);
  out.callerid_format =
      config.get("gateway.callerid_format", out.callerid_format);
  out.certificate_file =
      resolve(base_dir, config.get("plugin.security.file.certificate"));
  out.key_file = resolve(base_dir, config.get("plugin.security.file.key"));
  out.ca_file = resolve(base_dir, config.get("plugin.security.file.ca"));
  out.privileged_patterns =
      config.get_list("plugin.choria.security.privileged_users");
  out.middleware_hosts = config.get_list("plugin.choria.middleware_hosts");
  out.main_collective = config.get("main_collective", out.main_collective);
  out.collectives = config.get_list("collectives");
  if (std::find(out.collectives.begin(), out.collectives.end(),
                out.main_collective) == out.collectives.end())
    out.collectives.insert(out.collectives.begin(), out.main_collective);
  out.identity = config.get("identity", local_hostname());
  out.log_level = config.get("loglevel", out.log_level);

  if (out.callerid_format.find("{user}") == std::string::npos) {
    *error = "gateway.callerid_format must contain {user}";
    return std::nullopt;
  }
  for (auto [value, key] :
       {std::pair{&out.data_dir, "gateway.data_dir"},
        {&out.users_file, "gateway.users_file"},
        {&out.policy_file, "gateway.policy_file"},
        {&out.token_secret_file, "gateway.token.secret_file"},
        {&out.certificate_file, "plugin.security.file.certificate"},
        {&out.key_file, "plugin.security.file.key"},
        {&out.ca_file, "plugin.security.file.ca"}})
    if (!require(*value, key, error)) return std::nullopt;
  if (out.middleware_hosts.empty()) {
    *error = "missing required configuration key "
             "plugin.choria.middleware_hosts";
    return std::nullopt;
  }
  return out;
}

std::optional<settings> settings::load(const std::string& path,
                                       std::string* error) {
  auto config = config_file::load(path, error);
  if (!config) return std::nullopt;
  auto base_dir = std::filesystem::path(path).parent_path().string();
  return from_config(*config, base_dir, error);
}

std::optional<std::string> settings::listener_problem() const {
  if (!listen_certificate_file.empty() || listen_plain_http)
    return std::nullopt;
  return "the listener has no TLS certificate: set gateway.tls.certificate "
         "and gateway.tls.key to serve HTTPS, or set "
         "gateway.listen_plain_http = true to serve plain HTTP, which is "
         "safe only on a loopback address";
}

std::string settings::callerid_for(const std::string& username) const {
  std::string out = callerid_format;
  auto at = out.find("{user}");
  out.replace(at, 6, username);
  return out;
}

}  // namespace gateway

// `choria-rest-gateway init`: a complete local set-up in one folder.
#include <arpa/inet.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "gateway/auth/password.hpp"
#include "gateway/auth/secret_file.hpp"
#include "gateway/choria/pki.hpp"
#include "gateway/common/encoding.hpp"
#include "src/main/commands.hpp"
#include "src/main/demo_ddls.hpp"

namespace gateway {
namespace {

namespace fs = std::filesystem;

constexpr const char* gateway_certname = "gateway.privileged.choria";
constexpr const char* simulator_certname = "fleet-sim.mcollective";

struct writer {
  fs::path dir;
  std::string error;

  bool write(const std::string& name, const std::string& text, unsigned mode) {
    return pki::write_file((dir / name).string(), text, mode, &error);
  }
  bool write_pair(const std::string& stem, const pki::key_pair& pair) {
    return write(stem + ".pem", pair.certificate_pem, 0644) &&
           write(stem + "-key.pem", pair.private_key_pem, 0600);
  }
};

// A password of 20 characters from an unambiguous alphabet.
std::string make_password() {
  static constexpr char alphabet[] =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (unsigned char byte : random_bytes(20))
    out.push_back(alphabet[byte % (sizeof(alphabet) - 1)]);
  return out;
}

// The listener's server certificate: localhost and the loopback addresses,
// plus the host of --listen unless it is a wildcard address.
pki::certificate_request https_request(const init_options& options) {
  pki::certificate_request request;
  request.common_name = "localhost";
  request.dns_names = {"localhost"};
  request.ip_addresses = {"127.0.0.1", "::1"};
  request.client_auth = false;
  request.server_auth = true;

  auto host = options.listen.substr(0, options.listen.rfind(':'));
  if (host.size() > 2 && host.front() == '[')
    host = host.substr(1, host.size() - 2);
  unsigned char address[16];
  bool is_ipv4 = inet_pton(AF_INET, host.c_str(), address) == 1;
  bool is_ipv6 = inet_pton(AF_INET6, host.c_str(), address) == 1;
  auto& names = is_ipv4 || is_ipv6 ? request.ip_addresses : request.dns_names;
  bool wildcard = host.empty() || host == "0.0.0.0" || host == "::";
  if (!wildcard && std::find(names.begin(), names.end(), host) == names.end())
    names.push_back(host);
  return request;
}

bool write_certificates(writer& out, const init_options& options) {
  auto ca = pki::make_ca("choria-rest-gateway throwaway CA", 3650, &out.error);
  if (!ca || !out.write_pair("ca", *ca)) return false;

  pki::certificate_request gateway_request;
  gateway_request.common_name = gateway_certname;
  gateway_request.dns_names = {gateway_certname};
  auto gateway_pair = pki::issue(*ca, gateway_request, &out.error);
  if (!gateway_pair || !out.write_pair("gateway", *gateway_pair)) return false;

  pki::certificate_request simulator_request;
  simulator_request.common_name = simulator_certname;
  simulator_request.dns_names = {simulator_certname};
  auto simulator_pair = pki::issue(*ca, simulator_request, &out.error);
  if (!simulator_pair || !out.write_pair("fleet-sim", *simulator_pair))
    return false;

  pki::certificate_request broker_request;
  broker_request.common_name = "localhost";
  broker_request.dns_names = {"localhost"};
  broker_request.ip_addresses = {"127.0.0.1", "::1"};
  broker_request.server_auth = true;
  auto broker_pair = pki::issue(*ca, broker_request, &out.error);
  if (!broker_pair || !out.write_pair("broker", *broker_pair)) return false;
  if (options.plain_http) return true;

  auto https_pair = pki::issue(*ca, https_request(options), &out.error);
  return https_pair && out.write_pair("https", *https_pair);
}

// HTTPS with the certificate from the throwaway CA, or plain HTTP with
// --plain-http.
std::string listener_lines(const init_options& options) {
  if (options.plain_http)
    return "# Plain HTTP: tokens and passwords cross the network in clear,\n"
           "# so keep gateway.listen on a loopback address.\n"
           "gateway.listen_plain_http = true\n";
  return "# HTTPS; clients verify the certificate with ca.pem.\n"
         "gateway.tls.certificate = https.pem\n"
         "gateway.tls.key = https-key.pem\n";
}

std::string gateway_config(const init_options& options) {
  return "# choria-rest-gateway configuration written by `init`.\n"
         "# Paths are relative to this file's folder.\n"
         "gateway.listen = " +
         options.listen + "\n" + listener_lines(options) +
         "gateway.data_dir = data\n"
         "gateway.log.sync = true\n"
         "gateway.users_file = users.json\n"
         "gateway.policy_file = policy.json\n"
         "gateway.ddl_dir = ddl\n"
         "gateway.allow_agents_without_ddl = false\n"
         "gateway.token.secret_file = token.secret\n"
         "gateway.token.lifetime = 3600\n"
         "gateway.callerid_format = choria={user}\n"
         "\n"
         "identity = choria-rest-gateway\n"
         "main_collective = mcollective\n"
         "collectives = mcollective\n"
         "plugin.choria.middleware_hosts = tls://" +
         options.broker +
         "\n"
         "plugin.security.file.certificate = gateway.pem\n"
         "plugin.security.file.key = gateway-key.pem\n"
         "plugin.security.file.ca = ca.pem\n"
         "loglevel = info\n";
}

std::string broker_config(const init_options& options, const fs::path& dir) {
  auto colon = options.broker.rfind(':');
  auto path = [&dir](const char* name) { return (dir / name).string(); };
  return "# nats-server configuration written by `init`: mutual TLS on\n"
         "# loopback with the throwaway CA.\n"
         "host: \"" +
         options.broker.substr(0, colon) +
         "\"\n"
         "port: " +
         options.broker.substr(colon + 1) +
         "\n"
         "tls {\n"
         "  cert_file: \"" +
         path("broker.pem") +
         "\"\n"
         "  key_file: \"" +
         path("broker-key.pem") +
         "\"\n"
         "  ca_file: \"" +
         path("ca.pem") +
         "\"\n"
         "  verify: true\n"
         "}\n";
}

bool write_users(writer& out, const init_options& options,
                 const std::string& password) {
  auto hash =
      auth::hash_password(password, auth::default_bcrypt_cost, &out.error);
  if (!hash) return false;
  nlohmann::json users =
      nlohmann::json::array({{{"username", options.admin_user},
                              {"password", *hash},
                              {"acls", nlohmann::json::array()},
                              {"roles", {"admin"}}}});
  nlohmann::json policy = {
      {"roles",
       {{"admin", {{"allow", {"*"}}}},
        {"operator", {{"allow", {"rpcutil.*", "discovery.*"}}}}}}};
  return out.write("users.json", users.dump(2) + "\n", 0600) &&
         out.write("policy.json", policy.dump(2) + "\n", 0644);
}

}  // namespace

int run_init(const init_options& options) {
  writer out{fs::absolute(options.dir), {}};
  std::error_code code;
  if (fs::exists(out.dir / "gateway.conf") && !options.force) {
    std::cerr << "error: " << (out.dir / "gateway.conf").string()
              << " exists; pass --force to overwrite the set-up\n";
    return 2;
  }
  fs::create_directories(out.dir / "data", code);
  if (!code) fs::create_directories(out.dir / "ddl", code);
  if (code) {
    std::cerr << "error: cannot create " << out.dir.string() << ": "
              << code.message() << "\n";
    return 1;
  }
  if (options.force) fs::remove(out.dir / "token.secret", code);

  auto password = make_password();
  bool written =
      write_certificates(out, options) && write_users(out, options, password) &&
      out.write("ddl/rpcutil.json", rpcutil_ddl, 0644) &&
      out.write("ddl/sim_test.json", sim_test_ddl, 0644) &&
      out.write("gateway.conf", gateway_config(options), 0644) &&
      out.write("nats-server.conf", broker_config(options, out.dir), 0644);
  std::string secret_error;
  if (written &&
      !auth::load_or_create_secret(out.dir / "token.secret", &secret_error)) {
    out.error = secret_error;
    written = false;
  }
  if (!written) {
    std::cerr << "error: " << out.error << "\n";
    return 1;
  }

  std::cout << "Wrote a local set-up to " << out.dir.string() << "\n"
            << "  configuration: " << (out.dir / "gateway.conf").string()
            << "\n"
            << "  broker:        nats-server -c "
            << (out.dir / "nats-server.conf").string() << "\n"
            << "  url:           " << (options.plain_http ? "http" : "https")
            << "://" << options.listen
            << (options.plain_http
                    ? std::string()
                    : " (verify it with " + (out.dir / "ca.pem").string() + ")")
            << "\n"
            << "  login:         " << options.admin_user << " / " << password
            << "\n";
  return 0;
}

}  // namespace gateway

// `choria-rest-gateway init`: a complete local set-up in one folder.
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

  bool write(const std::string& name, const std::string& text,
             unsigned mode) {
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

bool write_certificates(writer& out) {
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
  return broker_pair && out.write_pair("broker", *broker_pair);
}

std::string gateway_config(const init_options& options) {
  return "# choria-rest-gateway configuration written by `init`.\n"
         "# Paths are relative to this file's folder.\n"
         "gateway.listen = " + options.listen + "\n"
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
         "plugin.choria.middleware_hosts = tls://" + options.broker + "\n"
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
         "host: \"" + options.broker.substr(0, colon) + "\"\n"
         "port: " + options.broker.substr(colon + 1) + "\n"
         "tls {\n"
         "  cert_file: \"" + path("broker.pem") + "\"\n"
         "  key_file: \"" + path("broker-key.pem") + "\"\n"
         "  ca_file: \"" + path("ca.pem") + "\"\n"
         "  verify: true\n"
         "}\n";
}

bool write_users(writer& out, const init_options& options,
                 const std::string& password) {
  auto hash = auth::hash_password(password, auth::default_bcrypt_cost,
                                  &out.error);
  if (!hash) return false;
  nlohmann::json users = nlohmann::json::array(
      {{{"username", options.admin_user},
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
  bool written = write_certificates(out) &&
                 write_users(out, options, password) &&
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
            << "  login:         " << options.admin_user << " / " << password
            << "\n";
  return 0;
}

}  // namespace gateway

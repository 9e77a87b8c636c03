#include "foreign_ca.hpp"

#include <filesystem>
#include <system_error>

namespace gateway::integration {

std::optional<foreign_ca> foreign_ca::create(const std::string& folder,
                                             std::string* error) {
  std::error_code code;
  std::filesystem::create_directories(folder, code);
  if (code) {
    *error = "cannot create " + folder + ": " + code.message();
    return std::nullopt;
  }
  auto ca = pki::make_ca("Foreign Test CA", 30, error);
  if (!ca) return std::nullopt;
  if (!pki::write_file(folder + "/ca.pem", ca->certificate_pem, 0644, error))
    return std::nullopt;
  return foreign_ca(folder, std::move(*ca));
}

bool foreign_ca::issue(const std::string& name,
                       const pki::certificate_request& request,
                       std::string* error) const {
  auto pair = pki::issue(ca_, request, error);
  return pair &&
         pki::write_file(certificate_file(name), pair->certificate_pem, 0644,
                         error) &&
         pki::write_file(key_file(name), pair->private_key_pem, 0600, error);
}

bool foreign_ca::issue_broker(const std::string& name,
                              std::string* error) const {
  pki::certificate_request request;
  request.common_name = "localhost";
  request.dns_names = {"localhost"};
  request.ip_addresses = {"127.0.0.1"};
  request.server_auth = true;
  return issue(name, request, error);
}

}  // namespace gateway::integration

#include "fixtures.hpp"

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "gateway/common/encoding.hpp"

namespace gateway::choria::testing {

std::string go_choria_file(const std::string& relative) {
  return std::string(GATEWAY_SHARED_DIR) + "/choria/testdata-go-choria/" +
         relative;
}

std::string schema_file(const std::string& name) {
  return std::string(GATEWAY_SHARED_DIR) + "/choria/schemas/protocol/v1/" +
         name;
}

signing_identity go_choria_identity(const std::string& name) {
  std::string error;
  auto identity = signing_identity::load(
      go_choria_file("certs/" + name + ".pem"),
      go_choria_file("private_keys/" + name + ".pem"), &error);
  if (!identity)
    throw std::runtime_error("loading " + name + " failed: " + error);
  return std::move(*identity);
}

temp_dir::temp_dir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "choria_test.XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("mkdtemp " + pattern + " failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string temp_dir::write(const std::string& name,
                            const std::string& text) const {
  std::string full = path_ + "/" + name;
  std::ofstream(full, std::ios::binary) << text;
  return full;
}

signing_identity identity_from(const temp_dir& dir, const std::string& name,
                               const pki::key_pair& pair) {
  std::string error;
  auto identity = signing_identity::load(
      dir.write(name + ".pem", pair.certificate_pem),
      dir.write(name + ".key", pair.private_key_pem), &error);
  if (!identity)
    throw std::runtime_error("loading " + name + " failed: " + error);
  return std::move(*identity);
}

std::int64_t unix_now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

envelope envelope_for(const request_spec& spec) {
  envelope env;
  env.request_id = make_request_id();
  env.sender_id = "gateway.example.net";
  env.caller_id = spec.caller_id;
  env.collective = "mcollective";
  env.agent = spec.agent;
  env.ttl = spec.ttl;
  env.time = spec.time == 0 ? unix_now() : spec.time;
  return env;
}

std::string signed_request(const signing_identity& identity,
                           const request_spec& spec) {
  std::string body = encode_rpc_body(spec.agent, spec.action, spec.caller_id,
                                     nlohmann::json::object());
  std::string request = encode_request(envelope_for(spec), body);
  std::string secure = encode_secure_request(request, identity);
  return encode_transport(secure, {spec.reply_to, "gateway.example.net"});
}

received_request decoded_request(const signing_identity& identity,
                                 const request_spec& spec) {
  auto result = decode_request(signed_request(identity, spec));
  if (!result.value)
    throw std::runtime_error("decode_request failed: " +
                             std::string(to_string(result.error)));
  return std::move(*result.value);
}

}  // namespace gateway::choria::testing

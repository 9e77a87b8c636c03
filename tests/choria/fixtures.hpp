// Helpers shared by the Choria protocol tests: fixture paths, temporary
// folders and signed requests.
#pragma once

#include <cstdint>
#include <string>

#include "gateway/choria/pki.hpp"
#include "gateway/choria/protocol.hpp"

namespace gateway::choria::testing {

// A path under choria/testdata-go-choria in the shared folder, for example
// go_choria_file("certs/ca.pem").
std::string go_choria_file(const std::string& relative);

// A path under choria/schemas/protocol/v1, for example
// schema_file("request.json").
std::string schema_file(const std::string& name);

// The go-choria test identity for name, such as "1.privileged.mcollective".
// Throws std::runtime_error, which fails the test, when it cannot be loaded.
signing_identity go_choria_identity(const std::string& name);

// A fresh folder under the system temporary folder, removed with its
// contents on destruction.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::string& path() const { return path_; }
  // Writes text to path()/name and returns the full path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

// Writes a key pair into dir as <name>.pem and <name>.key and loads it;
// throws std::runtime_error when it does not load.
signing_identity identity_from(const temp_dir& dir, const std::string& name,
                               const pki::key_pair& pair);

// Inputs of one signed request, with defaults that every node accepts.
struct request_spec {
  std::string caller_id = "choria=bob";
  std::string agent = "rpcutil";
  std::string action = "ping";
  std::string reply_to = "mcollective.reply.x.0123456789abcdef0123456789abcdef";
  std::int64_t time = 0;  // 0 means now
  std::int64_t ttl = 60;
};

std::int64_t unix_now();

// The envelope of spec, with a fresh request id.
envelope envelope_for(const request_spec& spec);

// A complete transport payload signed by identity.
std::string signed_request(const signing_identity& identity,
                           const request_spec& spec);

// decode_request of signed_request; throws std::runtime_error when it does
// not decode.
received_request decoded_request(const signing_identity& identity,
                                 const request_spec& spec);

}  // namespace gateway::choria::testing

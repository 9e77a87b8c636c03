#include "bench/micro/fixture.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "gateway/choria/pki.hpp"
#include "gateway/common/encoding.hpp"

namespace gateway::bench {
namespace {

[[noreturn]] void abort_with(const std::string& error) {
  std::fprintf(stderr, "micro_bench: %s\n", error.c_str());
  std::abort();
}

choria::signing_identity make_identity() {
  std::string error;
  auto ca = pki::make_ca("bench CA", 1, &error);
  if (!ca) abort_with(error);
  pki::certificate_request request;
  request.common_name = "gateway.privileged.choria";
  request.dns_names = {request.common_name};
  auto leaf = pki::issue(*ca, request, &error);
  if (!leaf) abort_with(error);

  auto dir = std::filesystem::temp_directory_path() /
             ("micro-bench-" + hex_encode(random_bytes(6)));
  std::filesystem::create_directories(dir);
  std::string cert = (dir / "gateway.pem").string();
  std::string key = (dir / "gateway-key.pem").string();
  if (!pki::write_file(cert, leaf->certificate_pem, 0644, &error) ||
      !pki::write_file(key, leaf->private_key_pem, 0600, &error))
    abort_with(error);
  auto identity = choria::signing_identity::load(cert, key, &error);
  std::filesystem::remove_all(dir);
  if (!identity) abort_with(error);
  return std::move(*identity);
}

}  // namespace

const choria::signing_identity& bench_identity() {
  static const choria::signing_identity identity = make_identity();
  return identity;
}

choria::envelope sample_envelope() {
  choria::envelope env;
  env.request_id = make_request_id();
  env.sender_id = "gateway.example.net";
  env.caller_id = "choria=alice";
  env.collective = "mcollective";
  env.agent = "rpcutil";
  env.ttl = 60;
  env.time = 1'796'000'000;
  return env;
}

}  // namespace gateway::bench

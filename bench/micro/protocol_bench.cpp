// Micro-benchmarks of the Choria protocol paths: building and signing a
// request (once per submit), and decoding and hash-checking a reply (once
// per node reply).
#include <benchmark/benchmark.h>

#include "bench/micro/fixture.hpp"
#include "gateway/choria/protocol.hpp"

namespace gateway::bench {
namespace {

// The signer's work per request: RPC body, request, signed secure layer
// and transport, as sign_order does it.
void encode_and_sign(benchmark::State& state) {
  const auto& identity = bench_identity();
  auto env = sample_envelope();
  auto reply_to = choria::reply_subject(env.collective, identity.certname(),
                                        env.request_id);
  for (auto _ : state) {
    auto body = choria::encode_rpc_body(env.agent, "ping", env.caller_id,
                                        nlohmann::json::object());
    auto request = choria::encode_request(env, body);
    auto secure = choria::encode_secure_request(request, identity);
    auto transport =
        choria::encode_transport(secure, {reply_to, env.sender_id});
    benchmark::DoNotOptimize(transport);
  }
  state.SetItemsProcessed(state.iterations());
}
// Threads(2) shows the rate when every core of a 2-core machine signs.
BENCHMARK(encode_and_sign)->Threads(1)->Threads(2)->UseRealTime();

// The RSA-2048 signature alone, the limit of the submit path.
void rsa_sign(benchmark::State& state) {
  const auto& identity = bench_identity();
  std::string message(600, 'm');
  for (auto _ : state) benchmark::DoNotOptimize(identity.sign(message));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(rsa_sign)->Threads(1)->Threads(2)->UseRealTime();

// The collector's work per reply: three JSON layers, base64 and SHA-256.
void decode_reply(benchmark::State& state) {
  auto env = sample_envelope();
  std::string payload = choria::encode_reply(
      env.request_id, "node-000123.example.net", "rpcutil", env.time,
      R"({"statuscode":0,"statusmsg":"OK","data":{"pong":1796000000}})");
  for (auto _ : state) {
    auto decoded = choria::decode_reply(payload);
    if (!decoded.value) state.SkipWithError("the reply did not decode");
    benchmark::DoNotOptimize(decoded);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(payload.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(decode_reply);

}  // namespace
}  // namespace gateway::bench

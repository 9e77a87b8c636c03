// Micro-benchmarks of the event store's per-event paths: encoding an event
// for the log, and decoding a reply page cursor.
#include <benchmark/benchmark.h>

#include "gateway/common/encoding.hpp"
#include "gateway/storage/event.hpp"
#include "src/storage/keys.hpp"

namespace gateway::bench {
namespace {

storage::event sample_reply_event() {
  storage::event e;
  e.sequence = 123'456;
  e.kind = storage::event_kind::reply_received;
  e.time_ms = 1'796'000'000'123;
  e.request_id = make_request_id();
  e.caller = "alice";
  e.data = {{"sender", "node-000123.example.net"},
            {"expected", true},
            {"statuscode", 0},
            {"statusmsg", "OK"},
            {"data", {{"pong", 1'796'000'000}}}};
  return e;
}

void event_encode(benchmark::State& state) {
  auto e = sample_reply_event();
  for (auto _ : state) benchmark::DoNotOptimize(storage::encode_event(e));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(event_encode);

void event_decode(benchmark::State& state) {
  auto text = storage::encode_event(sample_reply_event());
  for (auto _ : state) {
    std::string error;
    benchmark::DoNotOptimize(storage::decode_event(text, &error));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(event_decode);

// Every reply page after the first decodes one cursor, which includes a
// SHA-256 of the request id.
void cursor_decode(benchmark::State& state) {
  std::string request_id = make_request_id();
  auto cursor = storage::keys::encode_cursor(request_id, 123'456);
  for (auto _ : state) {
    auto sequence = storage::keys::decode_cursor(request_id, cursor);
    if (!sequence) state.SkipWithError("the cursor did not decode");
    benchmark::DoNotOptimize(sequence);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(cursor_decode);

}  // namespace
}  // namespace gateway::bench

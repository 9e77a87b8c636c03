// Micro-benchmarks of the event store's per-event paths: encoding an event
// for the log, appending replies, and decoding a reply page cursor.
#include <filesystem>

#include <benchmark/benchmark.h>

#include "gateway/common/encoding.hpp"
#include "gateway/storage/event.hpp"
#include "gateway/storage/event_store.hpp"
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

// The event log's write per reply: a batch of 64 reply events of one
// running request, with the status update and the stored replies, into a
// new store without fsync, so that the figure is CPU work and not disk.
void event_store_append_replies(benchmark::State& state) {
  auto dir = std::filesystem::temp_directory_path() /
             ("micro-bench-store-" + hex_encode(random_bytes(6)));
  storage::event_store_options options;
  options.sync = false;
  std::string error;
  auto store = storage::event_store::open(dir.string(), options, &error);
  if (!store) {
    state.SkipWithError(error.c_str());
    return;
  }
  auto accepted = sample_reply_event();
  accepted.kind = storage::event_kind::request_accepted;
  accepted.data = {{"agent", "rpcutil"}, {"action", "ping"}};
  std::vector<storage::event> first{accepted};
  if (store->append(first)) state.SkipWithError("the request was not stored");

  for (auto _ : state) {
    std::vector<storage::event> batch(64, sample_reply_event());
    for (auto& e : batch) e.request_id = accepted.request_id;
    if (auto failure = store->append(batch))
      state.SkipWithError(failure->c_str());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 64);
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(event_store_append_replies);

}  // namespace
}  // namespace gateway::bench

// The stream subscriber on its own: a real HTTP server, event store, event
// log and stream hub in this process, with short timers, so heartbeats,
// live delivery and the slow-consumer cut-off can be observed quickly.
#include <sys/socket.h>

#include <gtest/gtest.h>

#include "actors/event_log.hpp"
#include "actors/stream_subscriber.hpp"
#include "gateway/http/server.hpp"
#include "stream_client.hpp"
#include "tests/storage/sample_events.hpp"
#include "tests/storage/temp_directory.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using namespace storage::test_support;
using integration::event_stream_client;

class StreamSubscriber : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    store_ = storage::event_store::open(folder_.path(), {}, &error);
    ASSERT_NE(store_, nullptr) << error;
    hub_ = spawn_stream_hub(system_);
    log_ = spawn_event_log(system_, store_, hub_);

    options_.heartbeat = 200ms;
    options_.page_size = 5;
    options_.pause_bytes = 64 * 1024;
    options_.max_stall = 500ms;
    options_.poll = 20ms;
    server_ = std::make_unique<http::server>(
        http::server_options{},
        [this](http::request request, http::responder respond) {
          auto last = request.headers.find("last-event-id");
          stream_order order{
              request.path.substr(1),
              last == request.headers.end() ? 0 : std::stoull(last->second),
              respond.start_stream()};
          auto writer = order.writer;
          auto subscriber = spawn_stream_subscriber(system_, hub_, store_,
                                                    std::move(order), options_);
          writer.on_close(
              [subscriber] { caf::anon_send(subscriber, closed_atom::value); });
        });
    auto failure = server_->start();
    ASSERT_FALSE(failure) << *failure;
  }

  void TearDown() override {
    server_->stop();
    caf::anon_send_exit(log_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(hub_, caf::exit_reason::user_shutdown);
  }

  // Appends through the event log actor, as collectors do.
  void append(std::vector<storage::event> events) {
    caf::scoped_actor self{system_};
    self->request(log_, 10s, append_atom::value, std::move(events))
        .receive([](std::uint64_t) {},
                 [&](const caf::error& error) {
                   ADD_FAILURE() << system_.render(error);
                 });
  }

  bool open(event_stream_client& client, const std::string& request_id,
            const std::string& last_event_id = "") {
    std::string error;
    bool opened = client.open(server_->port(), "/" + request_id, "unused",
                              last_event_id, &error);
    EXPECT_TRUE(opened) << error;
    return opened;
  }

  temp_directory folder_;
  std::shared_ptr<storage::event_store> store_;
  caf::actor_system_config config_;
  caf::actor_system system_{config_};
  stream_hub_actor hub_;
  event_log_actor log_;
  stream_options options_;
  std::unique_ptr<http::server> server_;
};

TEST_F(StreamSubscriber, QuietStreamGetsHeartbeats) {
  auto id = request_id_for(1);
  append({accepted(id, false), published(id, {"a"})});
  event_stream_client client;
  ASSERT_TRUE(open(client, id));
  EXPECT_TRUE(client.await_comments(2, 10s));
}

TEST_F(StreamSubscriber, LiveRepliesThenEnd) {
  auto id = request_id_for(2);
  append({accepted(id, false), published(id, {"a", "b"}), reply(id, "a")});
  event_stream_client client;
  ASSERT_TRUE(open(client, id));
  auto stored = client.next_event(10s);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->event, "reply");

  // Many replies of other requests in between must not show up.
  std::vector<storage::event> noise;
  for (int i = 0; i < 50; ++i) noise.push_back(reply(request_id_for(99), "x"));
  append(std::move(noise));
  append({reply(id, "b")});
  auto live = client.next_event(10s);
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->event, "reply");
  EXPECT_EQ(json::parse(live->data)["sender"], "b");
  EXPECT_EQ(std::stoull(live->id), store_->last_sequence());

  append({finished(storage::event_kind::request_completed, id, {})});
  auto end = client.next_event(10s);
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->event, "end");
  EXPECT_EQ(json::parse(end->data)["state"], "complete");
  EXPECT_FALSE(client.next_event(5s).has_value());
  EXPECT_TRUE(client.finished());
}

TEST_F(StreamSubscriber, PagesThroughManyStoredReplies) {
  auto id = request_id_for(3);
  std::vector<storage::event> events{accepted(id, false), published(id, {})};
  for (int i = 0; i < 23; ++i)
    events.push_back(reply(id, "node-" + std::to_string(i)));
  events.push_back(finished(storage::event_kind::request_completed, id, {}));
  append(std::move(events));

  event_stream_client client;
  ASSERT_TRUE(open(client, id, "4"));
  std::vector<std::uint64_t> ids;
  while (auto event = client.next_event(10s)) {
    if (event->event != "reply") break;
    ids.push_back(std::stoull(event->id));
  }
  // Sequences 1 and 2 are the accepted and published events, 3 to 25
  // the replies; the client had everything up to 4.
  ASSERT_EQ(ids.size(), 21u);
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], 5 + i);
}

TEST_F(StreamSubscriber, SlowConsumerGetsErrorEvent) {
  auto id = request_id_for(4);
  append({accepted(id, false), published(id, {})});
  event_stream_client client;
  ASSERT_TRUE(open(client, id));

  // Enough reply data to fill the socket buffers and the writer's queue
  // while the client reads nothing.
  std::string padding(16 * 1024, 'p');
  for (int batch = 0; batch < 20; ++batch) {
    std::vector<storage::event> events;
    for (int i = 0; i < 100; ++i) {
      auto event = reply(id, "node-" + std::to_string(batch * 100 + i));
      event.data["data"] = {{"padding", padding}};
      events.push_back(std::move(event));
    }
    append(std::move(events));
  }

  // The subscriber gives up after max_stall; then the client reads.
  std::this_thread::sleep_for(1500ms);  // the stall the test provokes
  std::optional<integration::stream_event> last;
  std::uint64_t previous = 0;
  int replies = 0;
  while (auto event = client.next_event(10s)) {
    if (event->event == "reply") {
      auto sequence = std::stoull(event->id);
      EXPECT_EQ(sequence, previous == 0 ? 3 : previous + 1);
      previous = sequence;
      ++replies;
    }
    last = event;
  }
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->event, "error");
  EXPECT_EQ(json::parse(last->data)["error"]["code"], "slow_consumer");
  EXPECT_LT(replies, 2000);
  EXPECT_TRUE(client.finished());
}

}  // namespace
}  // namespace gateway

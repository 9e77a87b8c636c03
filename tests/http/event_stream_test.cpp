#include "gateway/http/event_stream.hpp"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "gateway/http/server.hpp"
#include "test_client.hpp"

namespace gateway::http {
namespace {

using testing::mailbox;
using testing::test_client;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// Reads a chunked event-stream response piece by piece, so the test can
// check that each chunk arrives before the stream ends.
class stream_reader {
 public:
  explicit stream_reader(test_client& client) : client_(client) {
    parser_.body_limit(1 << 20);
    parser_.on_chunk_body(on_chunk_);
  }

  beast::error_code read_header() {
    return client_.run([&](auto done) {
      bhttp::async_read_header(client_.stream(), client_.buffer(), parser_,
                               done);
    });
  }

  // Reads until the received data has at least size bytes or the
  // response is complete.
  beast::error_code read_until_size(std::size_t size) {
    while (data_.size() < size && !parser_.is_done()) {
      auto ec = client_.run([&](auto done) {
        bhttp::async_read_some(client_.stream(), client_.buffer(), parser_,
                               done);
      });
      if (ec) return ec;
    }
    return {};
  }

  beast::error_code read_to_end() {
    while (!parser_.is_done()) {
      if (auto ec = read_until_size(data_.size() + 1)) return ec;
    }
    return {};
  }

  bhttp::response_parser<bhttp::empty_body>& parser() { return parser_; }
  const std::string& data() const { return data_; }

 private:
  test_client& client_;
  bhttp::response_parser<bhttp::empty_body> parser_;
  std::string data_;
  std::function<std::size_t(std::uint64_t, beast::string_view,
                            beast::error_code&)>
      on_chunk_ =
          [this](std::uint64_t, beast::string_view body, beast::error_code&) {
            data_.append(body.data(), body.size());
            return body.size();
          };
};

class EventStreamTest : public ::testing::Test {
 protected:
  void start(server_options options = {}) {
    server_ = std::make_unique<server>(
        std::move(options), [this](request received, responder reply) {
          if (received.path != "/events") {
            return reply(json_response(200, "plain"));
          }
          writers_.put(reply.start_stream(200, {{"X-Stream", "yes"}}));
        });
    auto error = server_->start();
    ASSERT_FALSE(error) << *error;
  }

  std::unique_ptr<server> server_;
  mailbox<stream_writer> writers_;
};

TEST_F(EventStreamTest, DeliversChunksFromAnotherThreadAndEnds) {
  start();
  test_client client(server_->port());
  bhttp::request<bhttp::string_body> message{bhttp::verb::get, "/events", 11};
  ASSERT_FALSE(client.send(message));
  auto writer = writers_.take();
  ASSERT_TRUE(writer);
  mailbox<bool> closed;
  writer->on_close([&] { closed.put(true); });

  stream_reader reader(client);
  ASSERT_FALSE(reader.read_header());
  const auto& header = reader.parser().get();
  EXPECT_EQ(header.result_int(), 200);
  EXPECT_EQ(header[bhttp::field::content_type], "text/event-stream");
  EXPECT_EQ(header[bhttp::field::cache_control], "no-cache");
  EXPECT_EQ(header["X-Stream"], "yes");
  EXPECT_TRUE(header.chunked());

  // Each event arrives while the stream is still open.
  auto first = format_event("reply", "{\"n\":1}", "1");
  auto second = format_event("reply", "{\"n\":2}", "2");
  std::thread([w = *writer, first] { EXPECT_TRUE(w.send(first)); }).join();
  ASSERT_FALSE(reader.read_until_size(first.size()));
  EXPECT_EQ(reader.data(), first);
  EXPECT_FALSE(reader.parser().is_done());

  std::thread([w = *writer, second] {
    EXPECT_TRUE(w.send(second));
    w.close();
    EXPECT_FALSE(w.is_open());
    EXPECT_FALSE(w.send("after close"));
  }).join();
  ASSERT_FALSE(reader.read_to_end());
  EXPECT_EQ(reader.data(), first + second);
  EXPECT_TRUE(closed.take());

  // The connection serves the next request after the stream.
  auto reply = client.request(bhttp::verb::get, "/plain");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body(), "plain");
}

TEST_F(EventStreamTest, ClientDisconnectEndsStream) {
  start();
  auto client = std::make_unique<test_client>(server_->port());
  bhttp::request<bhttp::string_body> message{bhttp::verb::get, "/events", 11};
  ASSERT_FALSE(client->send(message));
  auto writer = writers_.take();
  ASSERT_TRUE(writer);
  mailbox<bool> closed;
  writer->on_close([&] { closed.put(true); });
  stream_reader reader(*client);
  ASSERT_FALSE(reader.read_header());
  client.reset();

  // The disconnect shows when a write fails, which may take a few writes.
  for (int i = 0; i < 1000 && writer->is_open(); ++i) {
    if (!writer->send(format_event("", "ping"))) break;
    std::this_thread::yield();
  }
  EXPECT_TRUE(closed.take());
  EXPECT_FALSE(writer->is_open());
}

TEST_F(EventStreamTest, OversizedQueueClosesConnection) {
  server_options options;
  options.max_stream_queue_bytes = 64;
  start(options);
  test_client client(server_->port());
  bhttp::request<bhttp::string_body> message{bhttp::verb::get, "/events", 11};
  ASSERT_FALSE(client.send(message));
  auto writer = writers_.take();
  ASSERT_TRUE(writer);

  EXPECT_FALSE(writer->send(std::string(65, 'x')));
  EXPECT_FALSE(writer->is_open());
  // The header may or may not be written before the connection closes.
  stream_reader reader(client);
  reader.read_header();
  EXPECT_TRUE(client.await_close());
}

TEST_F(EventStreamTest, StopEndsOpenStream) {
  start();
  test_client client(server_->port());
  bhttp::request<bhttp::string_body> message{bhttp::verb::get, "/events", 11};
  ASSERT_FALSE(client.send(message));
  auto writer = writers_.take();
  ASSERT_TRUE(writer);
  mailbox<bool> closed;
  writer->on_close([&] { closed.put(true); });

  stream_reader reader(client);
  ASSERT_FALSE(reader.read_header());

  server_->stop();
  EXPECT_TRUE(closed.take());
  EXPECT_FALSE(writer->send("after stop"));
  EXPECT_TRUE(client.await_close());
}

TEST_F(EventStreamTest, Http10ClientGets505) {
  start();
  test_client client(server_->port());
  bhttp::request<bhttp::string_body> message{bhttp::verb::get, "/events", 10};
  ASSERT_FALSE(client.send(message));
  auto writer = writers_.take();
  ASSERT_TRUE(writer);
  mailbox<bool> closed;
  writer->on_close([&] { closed.put(true); });

  auto reply = client.read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->result_int(), 505);
  EXPECT_TRUE(closed.take());
  EXPECT_FALSE(writer->send("ignored"));
  EXPECT_TRUE(client.await_close());
}

TEST_F(EventStreamTest, StreamAfterAnswerIsClosed) {
  mailbox<stream_writer> late;
  server web({}, [&](request, responder reply) {
    reply(json_response(200, "done"));
    late.put(reply.start_stream());
  });
  ASSERT_FALSE(web.start());
  test_client client(web.port());
  auto reply = client.request(bhttp::verb::get, "/");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body(), "done");
  auto writer = late.take();
  ASSERT_TRUE(writer);
  EXPECT_FALSE(writer->is_open());
  EXPECT_FALSE(writer->send("ignored"));
}

TEST(StreamWriter, DefaultWriterIsClosed) {
  stream_writer writer;
  EXPECT_FALSE(writer.is_open());
  EXPECT_FALSE(writer.send("x"));
  bool called = false;
  writer.on_close([&] { called = true; });
  EXPECT_TRUE(called);
}

}  // namespace
}  // namespace gateway::http

#include "gateway/http/server.hpp"

#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_client.hpp"

namespace gateway::http {
namespace {

using testing::mailbox;
using testing::test_client;
namespace bhttp = boost::beast::http;

// A request and its responder, as the handler received them.
struct delivery {
  request received;
  responder reply;
};

// Starts a server whose handler queues every request for the test.
class ServerTest : public ::testing::Test {
 protected:
  void start(server_options options = {}) {
    server_ = std::make_unique<server>(
        std::move(options), [this](request received, responder reply) {
          deliveries_.put({std::move(received), std::move(reply)});
        });
    auto error = server_->start();
    ASSERT_FALSE(error) << *error;
    ASSERT_NE(server_->port(), 0);
  }

  std::unique_ptr<server> server_;
  mailbox<delivery> deliveries_;
};

std::string error_code_of(const testing::string_response& answer) {
  auto body = nlohmann::json::parse(answer.body(), nullptr, false);
  if (body.is_discarded()) return "unparsable body: " + answer.body();
  return body["error"]["code"].get<std::string>();
}

TEST_F(ServerTest, HandlerReceivesRequestParts) {
  start();
  test_client client(server_->port());
  bhttp::request<bhttp::string_body> message{
      bhttp::verb::post, "/v1/a%20b/c?x=1&y=two%20words&flag", 11};
  message.set(bhttp::field::host, "127.0.0.1");
  message.set("X-Custom-Field", "value");
  message.set(bhttp::field::authorization, "Bearer secret");
  message.body() = "{\"hello\":true}";
  ASSERT_FALSE(client.send(message));

  auto got = deliveries_.take();
  ASSERT_TRUE(got);
  const auto& received = got->received;
  EXPECT_EQ(received.method, "POST");
  EXPECT_EQ(received.path, "/v1/a b/c");
  EXPECT_EQ(received.query.at("x"), "1");
  EXPECT_EQ(received.query.at("y"), "two words");
  EXPECT_EQ(received.query.at("flag"), "");
  EXPECT_EQ(received.headers.at("x-custom-field"), "value");
  EXPECT_EQ(received.headers.at("authorization"), "Bearer secret");
  EXPECT_EQ(received.headers.at("content-length"), "14");
  EXPECT_EQ(received.body, "{\"hello\":true}");
  EXPECT_EQ(received.remote_address, "127.0.0.1");

  response answer{201,
                  "{\"ok\":true}",
                  "application/json",
                  {{"Location", "/v1/requests/1"}}};
  got->reply(answer);
  auto reply = client.read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->result_int(), 201);
  EXPECT_EQ(reply->body(), "{\"ok\":true}");
  EXPECT_EQ((*reply)[bhttp::field::content_type], "application/json");
  EXPECT_EQ((*reply)[bhttp::field::location], "/v1/requests/1");
}

TEST_F(ServerTest, ResponderCompletesLaterFromAnotherThread) {
  start();
  test_client client(server_->port());
  bhttp::request<bhttp::string_body> message{bhttp::verb::get, "/later", 11};
  ASSERT_FALSE(client.send(message));

  // The handler has returned by the time the test holds the responder.
  auto got = deliveries_.take();
  ASSERT_TRUE(got);
  std::thread worker([reply = got->reply] {
    reply(json_response(202, "{\"from\":\"worker\"}"));
  });
  worker.join();

  auto reply = client.read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->result_int(), 202);
  EXPECT_EQ(reply->body(), "{\"from\":\"worker\"}");
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  start();
  test_client client(server_->port());
  for (int i = 0; i < 2; ++i) {
    bhttp::request<bhttp::string_body> message{bhttp::verb::get,
                                               "/n/" + std::to_string(i), 11};
    ASSERT_FALSE(client.send(message));
    auto got = deliveries_.take();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->received.path, "/n/" + std::to_string(i));
    got->reply(json_response(200, std::to_string(i)));

    auto reply = client.read();
    ASSERT_TRUE(reply) << "request " << i;
    EXPECT_EQ(reply->body(), std::to_string(i));
    EXPECT_TRUE(reply->keep_alive());
  }
}

TEST_F(ServerTest, SecondAnswerIsIgnored) {
  start();
  test_client client(server_->port());
  auto first = std::async(std::launch::async, [&] {
    return client.request(bhttp::verb::get, "/first");
  });
  auto got = deliveries_.take();
  ASSERT_TRUE(got);
  got->reply(json_response(200, "one"));
  got->reply(json_response(500, "two"));
  auto reply = first.get();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body(), "one");

  // The next response on the connection belongs to the next request.
  auto second = std::async(std::launch::async, [&] {
    return client.request(bhttp::verb::get, "/second");
  });
  auto next = deliveries_.take();
  ASSERT_TRUE(next);
  next->reply(json_response(200, "three"));
  auto next_reply = second.get();
  ASSERT_TRUE(next_reply);
  EXPECT_EQ(next_reply->body(), "three");
}

TEST_F(ServerTest, ConnectionCloseRequestClosesAfterResponse) {
  start();
  test_client client(server_->port());
  bhttp::request<bhttp::string_body> message{bhttp::verb::get, "/", 11};
  message.keep_alive(false);
  ASSERT_FALSE(client.send(message));
  auto got = deliveries_.take();
  ASSERT_TRUE(got);
  got->reply(json_response(200, "bye"));
  auto reply = client.read();
  ASSERT_TRUE(reply);
  EXPECT_FALSE(reply->keep_alive());
  EXPECT_TRUE(client.await_close());
}

TEST_F(ServerTest, HeadResponseHasNoBody) {
  start();
  test_client client(server_->port());
  bhttp::request<bhttp::string_body> message{bhttp::verb::head, "/", 11};
  ASSERT_FALSE(client.send(message));
  auto got = deliveries_.take();
  ASSERT_TRUE(got);
  got->reply(json_response(200, "twelve bytes"));

  // Beast's parser expects no body after a HEAD request when told so.
  bhttp::response_parser<bhttp::empty_body> parser;
  parser.skip(true);
  auto ec = client.run([&](auto done) {
    bhttp::async_read(client.stream(), client.buffer(), parser, done);
  });
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(parser.get()[bhttp::field::content_length], "12");
  EXPECT_EQ(client.buffer().size(), 0u);
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
  start();
  test_client client(server_->port());
  ASSERT_FALSE(
      client.write("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                   "Expect: 100-continue\r\n\r\n"));

  bhttp::response_parser<bhttp::empty_body> interim;
  auto ec = client.run([&](auto done) {
    bhttp::async_read_header(client.stream(), client.buffer(), interim, done);
  });
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(interim.get().result_int(), 100);

  ASSERT_FALSE(client.write("hello"));
  auto got = deliveries_.take();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->received.body, "hello");
  got->reply(json_response(204, ""));
  auto reply = client.read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->result_int(), 204);
}

TEST(ServerAnswers, DroppedResponderGives500) {
  server web({}, [](request, responder) {});
  ASSERT_FALSE(web.start());
  test_client client(web.port());
  auto reply = client.request(bhttp::verb::get, "/dropped");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->result_int(), 500);
  EXPECT_EQ(error_code_of(*reply), "internal");
}

TEST(ServerAnswers, ThrowingHandlerGives500) {
  server web({}, [](request, responder reply) {
    throw std::runtime_error("handler bug");
  });
  ASSERT_FALSE(web.start());
  test_client client(web.port());
  auto reply = client.request(bhttp::verb::get, "/throws");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->result_int(), 500);
  EXPECT_EQ(error_code_of(*reply), "internal");
}

TEST(ServerAnswers, HandlerHeadersCannotSplitResponse) {
  server web({}, [](request, responder reply) {
    reply(response{200,
                   "x",
                   "text/plain",
                   {{"X-Good", "1"},
                    {"X-Bad", "a\r\nInjected: yes"},
                    {"Content-Length", "999"}}});
  });
  ASSERT_FALSE(web.start());
  test_client client(web.port());
  auto reply = client.request(bhttp::verb::get, "/");
  ASSERT_TRUE(reply);
  EXPECT_EQ((*reply)["X-Good"], "1");
  EXPECT_EQ(reply->count("X-Bad"), 0u);
  EXPECT_EQ(reply->count("Injected"), 0u);
  EXPECT_EQ(reply->body(), "x");
  EXPECT_EQ((*reply)[bhttp::field::content_type], "text/plain");
}

TEST(ServerLifecycle, StartFailsOnInvalidAddress) {
  server_options options;
  options.address = "not-an-address";
  server web(options, [](request, responder) {});
  auto error = web.start();
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("not-an-address"), std::string::npos) << *error;
}

TEST(ServerLifecycle, StartFailsOnPortInUse) {
  server first({}, [](request, responder) {});
  ASSERT_FALSE(first.start());
  server_options options;
  options.port = first.port();
  server second(options, [](request, responder) {});
  auto error = second.start();
  ASSERT_TRUE(error);
  EXPECT_NE(error->find(std::to_string(first.port())), std::string::npos)
      << *error;
}

TEST(ServerLifecycle, StopWithOpenConnectionsReturns) {
  mailbox<responder> pending;
  auto web = std::make_unique<server>(
      server_options{}, [&](request, responder reply) { pending.put(reply); });
  ASSERT_FALSE(web->start());

  // One idle connection and one waiting for its answer.
  test_client idle(web->port());
  test_client waiting(web->port());
  bhttp::request<bhttp::string_body> message{bhttp::verb::get, "/", 11};
  ASSERT_FALSE(waiting.send(message));
  auto reply = pending.take();
  ASSERT_TRUE(reply);

  auto stopped = std::async(std::launch::async, [&] { web->stop(); });
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(5)),
            std::future_status::ready);
  EXPECT_TRUE(idle.await_close());
  EXPECT_TRUE(waiting.await_close());

  // Answers after stop, and after the server is gone, are dropped.
  (*reply)(json_response(200, "late"));
  web.reset();
  (*reply)(json_response(200, "later"));
}

TEST(ServerLifecycle, StopIsIdempotent) {
  server web({}, [](request, responder) {});
  ASSERT_FALSE(web.start());
  web.stop();
  web.stop();
}

TEST(ServerLifecycle, ConnectionsBeyondLimitGet503) {
  server_options options;
  options.max_connections = 1;
  server web(options,
             [](request, responder reply) { reply(json_response(200, "ok")); });
  ASSERT_FALSE(web.start());

  // A completed request proves the first connection is registered.
  test_client first(web.port());
  auto first_reply = first.request(bhttp::verb::get, "/");
  ASSERT_TRUE(first_reply);
  EXPECT_EQ(first_reply->result_int(), 200);

  test_client second(web.port());
  auto rejected = second.read();
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->result_int(), 503);
  EXPECT_EQ(error_code_of(*rejected), "unavailable");
  EXPECT_TRUE(second.await_close());
}

}  // namespace
}  // namespace gateway::http

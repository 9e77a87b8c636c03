// Live results: GET /v1/requests/{id}/events sends stored replies, then new
// ones as they arrive, each with its sequence as the event id, and an end
// event with the status; Last-Event-ID resumes without gaps or duplicates.
#include <set>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "reply_checks.hpp"
#include "stream_client.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

const extra_user other_user{"bob", "bob-password-1", {}, {"admin"}};

// Ten nodes, of which node-10 stays silent. The test agent replies after
// 1.5 s, so that its replies arrive while a stream is open.
class StreamEvents : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 10;
    options.silent_nodes = {"node-10.example.net"};
    options.simulator_arguments = {"--test-delay-ms", "1500"};
    options.users = {other_user};
    stack_ = new gateway_stack(options);
    started_ = stack_->start(&start_error_);
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(started_) << start_error_;
    token_ = stack_->login_admin();
    ASSERT_FALSE(token_.empty());
  }

  std::string events_path(const std::string& request_id) const {
    return "/v1/requests/" + request_id + "/events";
  }

  // Reads events until the end event or a failure; the end event is last.
  static std::vector<stream_event> read_all(event_stream_client& client,
                                            std::chrono::milliseconds wait) {
    std::vector<stream_event> events;
    while (auto event = client.next_event(wait)) {
      events.push_back(*event);
      if (event->event == "end" || event->event == "error") break;
    }
    return events;
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  std::string token_;
};

gateway_stack* StreamEvents::stack_ = nullptr;
bool StreamEvents::started_ = false;
std::string StreamEvents::start_error_;

std::vector<std::string> nodes_one_to(int count) {
  std::vector<std::string> nodes;
  for (int i = 1; i <= count; ++i) nodes.push_back(gateway_stack::node_name(i));
  return nodes;
}

TEST_F(StreamEvents, FinishedRequestSendsRepliesThenEnd) {
  auto request_id = stack_->submit_accepted(
      token_,
      {{"agent", "rpcutil"}, {"action", "ping"}, {"nodes", nodes_one_to(9)}});
  ASSERT_FALSE(request_id.empty());
  json status = stack_->await_finished(token_, request_id, 30s);
  ASSERT_EQ(status["state"], "complete") << status;

  event_stream_client client;
  std::string error;
  ASSERT_TRUE(client.open(stack_->http_port(), events_path(request_id), token_,
                          "", &error))
      << error;
  ASSERT_EQ(client.status(), 200u);
  EXPECT_EQ(client.header("Content-Type"), "text/event-stream");

  auto events = read_all(client, 10s);
  ASSERT_EQ(events.size(), 10u);
  std::set<std::string> senders;
  std::uint64_t previous = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    EXPECT_EQ(events[i].event, "reply");
    auto sequence = std::stoull(events[i].id);
    EXPECT_GT(sequence, previous) << "event ids must increase";
    previous = sequence;
    json reply = json::parse(events[i].data, nullptr, false);
    ASSERT_TRUE(reply.is_object()) << events[i].data;
    senders.insert(reply.value("sender", ""));
  }
  EXPECT_EQ(senders.size(), 9u);
  EXPECT_EQ(events.back().event, "end");
  EXPECT_TRUE(events.back().id.empty());
  EXPECT_EQ(json::parse(events.back().data, nullptr, false), status);
  EXPECT_FALSE(client.next_event(5s).has_value());
  EXPECT_TRUE(client.finished());
}

TEST_F(StreamEvents, RunningRequestStreamsLiveReplies) {
  auto request_id =
      stack_->submit_accepted(token_, {{"agent", "sim_test"},
                                       {"action", "run"},
                                       {"nodes", nodes_one_to(10)},
                                       {"timeout", 4}});
  ASSERT_FALSE(request_id.empty());

  event_stream_client client;
  std::string error;
  ASSERT_TRUE(client.open(stack_->http_port(), events_path(request_id), token_,
                          "", &error))
      << error;
  ASSERT_EQ(client.status(), 200u);
  // The stream is open before the first reply, which comes after 1.5 s.
  auto opened = stack_->status(token_, request_id).json();
  ASSERT_EQ(opened["received"], 0) << opened;

  auto events = read_all(client, 15s);
  ASSERT_EQ(events.size(), 10u) << "nine replies and the end event";
  EXPECT_EQ(events.back().event, "end");
  json end = json::parse(events.back().data, nullptr, false);
  EXPECT_EQ(end["state"], "expired") << end;
  EXPECT_EQ(end["received"], 9) << end;
  EXPECT_EQ(end["no_response"], json::array({"node-10.example.net"})) << end;
}

TEST_F(StreamEvents, LastEventIdResumesWithoutGapsOrDuplicates) {
  auto request_id = stack_->submit_accepted(
      token_,
      {{"agent", "rpcutil"}, {"action", "ping"}, {"nodes", nodes_one_to(9)}});
  ASSERT_FALSE(request_id.empty());
  ASSERT_EQ(stack_->await_finished(token_, request_id, 30s)["state"],
            "complete");

  std::string error;
  event_stream_client first;
  ASSERT_TRUE(first.open(stack_->http_port(), events_path(request_id), token_,
                         "", &error))
      << error;
  std::vector<stream_event> head;
  for (int i = 0; i < 4; ++i) {
    auto event = first.next_event(10s);
    ASSERT_TRUE(event.has_value());
    head.push_back(*event);
  }

  event_stream_client resumed;
  ASSERT_TRUE(resumed.open(stack_->http_port(), events_path(request_id), token_,
                           head.back().id, &error))
      << error;
  auto tail = read_all(resumed, 10s);
  ASSERT_EQ(tail.size(), 6u) << "five replies and the end event";
  EXPECT_EQ(tail.back().event, "end");
  tail.pop_back();

  std::vector<std::string> ids;
  std::set<std::string> senders;
  for (const auto& part : {head, tail}) {
    for (const auto& event : part) {
      ids.push_back(event.id);
      senders.insert(
          json::parse(event.data, nullptr, false).value("sender", ""));
    }
  }
  EXPECT_EQ(senders.size(), 9u) << "every reply exactly once";
  for (std::size_t i = 1; i < ids.size(); ++i)
    EXPECT_LT(std::stoull(ids[i - 1]), std::stoull(ids[i]));
}

TEST_F(StreamEvents, ResumeAfterLastReplyGetsOnlyEnd) {
  auto request_id = stack_->submit_accepted(
      token_,
      {{"agent", "rpcutil"}, {"action", "ping"}, {"nodes", nodes_one_to(3)}});
  ASSERT_FALSE(request_id.empty());
  ASSERT_EQ(stack_->await_finished(token_, request_id, 30s)["state"],
            "complete");

  std::string error;
  event_stream_client first;
  ASSERT_TRUE(first.open(stack_->http_port(), events_path(request_id), token_,
                         "", &error))
      << error;
  auto all = read_all(first, 10s);
  ASSERT_EQ(all.size(), 4u);

  event_stream_client resumed;
  ASSERT_TRUE(resumed.open(stack_->http_port(), events_path(request_id), token_,
                           all[2].id, &error))
      << error;
  auto rest = read_all(resumed, 10s);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].event, "end");
}

TEST_F(StreamEvents, OtherUsersRequestIsNotFound) {
  auto request_id = stack_->submit_accepted(
      token_,
      {{"agent", "rpcutil"}, {"action", "ping"}, {"nodes", nodes_one_to(1)}});
  ASSERT_FALSE(request_id.empty());
  auto bob = stack_->login(other_user.username, other_user.password);
  ASSERT_FALSE(bob.empty());

  http_call call;
  call.target = events_path(request_id);
  call.bearer_token = bob;
  auto result = stack_->http(call);
  EXPECT_EQ(result.status, 404u) << result.body;
  EXPECT_EQ(error_code(result.json()), "not_found") << result.body;

  call.bearer_token = "";
  EXPECT_EQ(stack_->http(call).status, 401u);
}

TEST_F(StreamEvents, InvalidLastEventIdIsRejected) {
  http_call call;
  call.target = events_path(std::string(32, 'a'));
  call.bearer_token = token_;
  call.headers = {{"Last-Event-ID", "twelve"}};
  auto result = stack_->http(call);
  EXPECT_EQ(result.status, 400u) << result.body;
  EXPECT_NE(error_message(result.json()).find("Last-Event-ID"),
            std::string::npos)
      << result.body;
}

}  // namespace
}  // namespace gateway::integration

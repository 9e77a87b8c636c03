// Crash recovery: the gateway is killed with SIGKILL at a random moment
// while requests fan out to 1,000 simulated nodes, many times over. After
// each restart every request that got a 202 exists, every reply a query
// returned before the crash is still returned, and every request resumes
// or ends with counts that add up.
#include <signal.h>

#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr int fleet_size = 1000;
constexpr int iterations = 6;

// What the clients saw before a crash.
struct observed {
  std::mutex mutex;
  std::vector<std::string> accepted;  // request ids that got a 202
  std::map<std::string, std::set<std::string>> replies;  // id -> senders
};

json all_nodes() {
  json nodes = json::array();
  for (int i = 1; i <= fleet_size; ++i)
    nodes.push_back(gateway_stack::node_name(i));
  return nodes;
}

// Submits requests until stop, alternating a short and a longer timeout so
// that some deadlines pass while the gateway is down and others do not.
void submit_until(const gateway_stack& stack, const std::string& token,
                  const std::atomic<bool>& stop, observed& seen) {
  json body = {
      {"agent", "sim_test"}, {"action", "run"}, {"nodes", all_nodes()}};
  for (int count = 0; !stop; ++count) {
    body["timeout"] = count % 2 == 0 ? 3 : 6;
    auto result = stack.submit(token, body);
    if (result.status == 202) {
      std::lock_guard lock(seen.mutex);
      seen.accepted.push_back(result.json().value("request_id", ""));
    }
    std::this_thread::sleep_for(250ms);  // pacing, not synchronisation
  }
}

// Reads reply pages of the accepted requests until stop, recording every
// reply the gateway returned.
void read_until(const gateway_stack& stack, const std::string& token,
                const std::atomic<bool>& stop, observed& seen) {
  while (!stop) {
    std::vector<std::string> ids;
    {
      std::lock_guard lock(seen.mutex);
      ids = seen.accepted;
    }
    for (const auto& request_id : ids) {
      if (stop) return;
      http_call call;
      call.target = "/v1/requests/" + request_id + "/replies?limit=1000";
      call.bearer_token = token;
      call.deadline = 5s;
      auto page = stack.http(call);
      if (page.status != 200) continue;
      auto body = page.json();
      std::lock_guard lock(seen.mutex);
      for (const auto& sender : senders_of({body}))
        seen.replies[request_id].insert(sender);
    }
  }
}

// Every sender of every reply page of request_id. A page that cannot be
// read fails the test.
std::vector<std::string> stored_senders(const gateway_stack& stack,
                                        const std::string& token,
                                        const std::string& request_id) {
  return senders_of(stack.read_reply_pages(token, request_id, 1000));
}

// Checks that a finished status record adds up and matches its replies.
void check_counts(const json& status, const std::vector<std::string>& senders) {
  std::string state = status.value("state", "");
  int expected = status.value("expected", -1);
  int received = status.value("received", -1);
  int ok = status.value("ok", -1);
  int failed = status.value("failed", -1);
  int unexpected = status.value("unexpected", -1);
  auto silent = status.value("no_response", json::array());

  EXPECT_EQ(ok + failed, received) << status;
  EXPECT_LE(received, expected) << status;
  EXPECT_EQ(static_cast<int>(senders.size()), received + unexpected) << status;
  std::set<std::string> unique(senders.begin(), senders.end());
  EXPECT_EQ(unique.size(), senders.size()) << "a sender was stored twice";
  if (state == "complete") {
    EXPECT_EQ(received, expected) << status;
    EXPECT_TRUE(silent.empty()) << status;
  } else if (state == "expired") {
    EXPECT_EQ(static_cast<int>(silent.size()), expected - received) << status;
  } else {
    EXPECT_EQ(state, "failed") << status;
    EXPECT_EQ(received, 0) << status;
  }
}

TEST(CrashRecovery, KillDuringFanOutKeepsEveryGuarantee) {
  stack_options options;
  options.fleet_size = fleet_size;
  options.simulator_arguments = {"--test-delay-ms", "800"};
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  auto token = stack.login_admin();
  ASSERT_FALSE(token.empty());

  std::random_device device;
  auto seed = device();
  std::mt19937 random(seed);
  SCOPED_TRACE("random seed " + std::to_string(seed));
  std::uniform_int_distribution<int> kill_after_ms(200, 2500);

  observed seen;
  std::map<std::string, int> final_states;
  int resumed = 0;  // requests still running right after a restart
  for (int iteration = 0; iteration < iterations; ++iteration) {
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    std::atomic<bool> stop{false};
    std::thread submitter([&] { submit_until(stack, token, stop, seen); });
    std::thread reader([&] { read_until(stack, token, stop, seen); });
    std::this_thread::sleep_for(
        std::chrono::milliseconds(kill_after_ms(random)));
    ASSERT_NE(stack.stop_gateway(SIGKILL), -1);
    stop = true;
    submitter.join();
    reader.join();

    ASSERT_TRUE(stack.start_gateway(&error)) << error;
    ASSERT_TRUE(stack.await_readyz(200, 30s)) << stack.log_tails();

    std::vector<std::string> accepted;
    std::map<std::string, std::set<std::string>> replies;
    {
      std::lock_guard lock(seen.mutex);
      accepted = seen.accepted;
      replies = seen.replies;
    }

    // Every 202 exists, and every reply returned before is still there.
    for (const auto& request_id : accepted) {
      auto status = stack.status(token, request_id);
      ASSERT_EQ(status.status, 200u) << request_id << ": " << status.body;
      if (status.json().value("state", "") == "running") ++resumed;
      auto senders = stored_senders(stack, token, request_id);
      std::set<std::string> now(senders.begin(), senders.end());
      for (const auto& sender : replies[request_id])
        EXPECT_TRUE(now.contains(sender))
            << request_id << ": the reply of " << sender << " was lost";
    }

    // Requests in flight resume or end, with counts that add up.
    for (const auto& request_id : accepted) {
      json status = stack.await_finished(token, request_id, 30s);
      ASSERT_TRUE(status.is_object()) << request_id;
      check_counts(status, stored_senders(stack, token, request_id));
      if (iteration == iterations - 1)
        ++final_states[status.value("state", "")];
    }
  }
  std::cout << "crash test: " << resumed
            << " requests were running right after a restart\n";
  for (const auto& [state, count] : final_states)
    std::cout << "crash test: " << count << " requests ended " << state << "\n";
  RecordProperty("requests", static_cast<int>(seen.accepted.size()));
  EXPECT_GT(seen.accepted.size(), 0u);
  EXPECT_GT(resumed, 0) << "no request was in flight at any crash";

  // The store opens cleanly after all of that, every event in it decodes
  // and the sequences have no gaps.
  ASSERT_NE(stack.stop_gateway(SIGTERM), -1);
  temp_dir folder;
  std::string exported = folder.file("events.jsonl");
  child_process exporter(GATEWAY_PATH,
                         {"export", "-c", stack.setup_file("gateway.conf")},
                         exported);
  ASSERT_EQ(exporter.wait_exit(60s), 0) << tail_lines(exported, 5);
  std::istringstream lines(read_text(exported));
  std::uint64_t expected_sequence = 1;
  for (std::string line; std::getline(lines, line); ++expected_sequence) {
    json event = json::parse(line, nullptr, false);
    ASSERT_TRUE(event.is_object()) << line;
    ASSERT_EQ(event["seq"], expected_sequence) << line;
  }
  EXPECT_GT(expected_sequence, 1u);
  ASSERT_TRUE(stack.start_gateway(&error)) << error;
  ASSERT_TRUE(stack.await_readyz(200, 30s)) << stack.log_tails();
}

}  // namespace
}  // namespace gateway::integration

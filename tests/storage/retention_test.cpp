// Retention: exactly the finished requests that are too old or too many
// go, with their events, replies and index entries.
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "gateway/storage/event_store.hpp"
#include "tests/storage/sample_events.hpp"
#include "tests/storage/temp_directory.hpp"

namespace gateway::storage {
namespace {

using json = nlohmann::json;
using namespace test_support;

constexpr int request_total = 40;
constexpr std::int64_t minute_ms = 60000;

// Request n was created n minutes after base_time_ms.
std::int64_t created(int n) { return base_time_ms + n * minute_ms; }

// The n of request_id_for(n), or -1.
int number_of(const std::string& request_id) {
  for (int n = 0; n < request_total; ++n)
    if (request_id_for(n) == request_id) return n;
  return -1;
}

class Retention : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    store_ = event_store::open(directory_.path(), {}, &error);
    ASSERT_NE(store_, nullptr) << error;
    // Requests 0 to 39, each with two replies; 5 and 25 keep running.
    for (int n = 0; n < request_total; ++n) {
      event accept = accepted(request_id_for(n), false, created(n));
      accept.data["idempotency_key"] = "key-" + std::to_string(n);
      accept.data["request_hash"] = "hash";
      std::vector<event> events = {
          accept, published(request_id_for(n), {"a", "b"}, created(n) + 1),
          reply(request_id_for(n), "a", 0, true, created(n) + 2),
          reply(request_id_for(n), "b", 1, true, created(n) + 3)};
      if (n != 5 && n != 25)
        events.push_back(finished(event_kind::request_completed,
                                  request_id_for(n), {}, created(n) + 4));
      append(std::move(events));
    }
    event logged_in = make_event(event_kind::login_succeeded, "", created(0),
                                 {{"address", "127.0.0.1"}});
    append({logged_in});
  }

  void append(std::vector<event> events) {
    auto error = store_->append(events);
    ASSERT_FALSE(error.has_value()) << *error;
  }

  // Runs retention steps until none has more to do.
  void run(const retention_rule& rule, std::size_t max_keys) {
    for (int steps = 0; steps < 1000; ++steps) {
      retention_step step;
      auto error = store_->remove_old_requests(rule, max_keys, step);
      ASSERT_FALSE(error.has_value()) << *error;
      if (!step.more) return;
    }
    FAIL() << "retention did not finish";
  }

  std::set<int> remaining() {
    std::set<int> numbers;
    for (int n = 0; n < request_total; ++n)
      if (store_->request_status(request_id_for(n))) numbers.insert(n);
    return numbers;
  }

  void expect_gone(int n) {
    std::string id = request_id_for(n);
    EXPECT_FALSE(store_->request_status(id).has_value()) << n;
    std::string error;
    auto page = store_->replies(id, "", 10, &error);
    ASSERT_TRUE(page.has_value()) << error;
    EXPECT_TRUE(page->replies.empty()) << n;
    EXPECT_TRUE(store_->expected_nodes(id).empty()) << n;
    EXPECT_FALSE(store_->idempotent_request("choria=alice",
                                            "key-" + std::to_string(n)))
        << n;
  }

  temp_directory directory_;
  std::unique_ptr<event_store> store_;
};

TEST_F(Retention, RemovesExactlyTheOldFinishedRequests) {
  retention_rule rule;
  rule.cutoff_ms = created(20);
  run(rule, 1000);

  std::set<int> expected = {5};
  for (int n = 20; n < request_total; ++n) expected.insert(n);
  EXPECT_EQ(remaining(), expected);
  for (int n = 0; n < 20; ++n)
    if (n != 5) expect_gone(n);
  EXPECT_EQ(store_->request_count(), expected.size());

  // The kept requests still have their replies and keys.
  std::string error;
  auto page = store_->replies(request_id_for(20), "", 10, &error);
  ASSERT_TRUE(page.has_value()) << error;
  EXPECT_EQ(page->replies.size(), 2u);
  EXPECT_TRUE(store_->idempotent_request("choria=alice", "key-20"));
}

TEST_F(Retention, RemovesEveryIndexEntryAndEvent) {
  retention_rule rule;
  rule.cutoff_ms = created(20);
  run(rule, 1000);

  history_query all;
  all.limit = 1000;
  std::string error;
  auto page = store_->history(all, &error);
  ASSERT_TRUE(page.has_value()) << error;
  EXPECT_EQ(page->requests.size(), 21u);
  for (const char* state : {"complete", "running"}) {
    history_query by_state;
    by_state.state = state;
    by_state.limit = 1000;
    auto rows = store_->history(by_state, &error);
    ASSERT_TRUE(rows.has_value()) << error;
    for (const auto& row : rows->requests) {
      int n = number_of(row["request_id"].get<std::string>());
      EXPECT_TRUE(n >= 20 || n == 5) << state << " " << n;
    }
  }

  // Only the kept requests' submissions and the login stay in the audit.
  audit_query audit;
  audit.limit = 1000;
  auto trail = store_->audit(audit, &error);
  ASSERT_TRUE(trail.has_value()) << error;
  EXPECT_EQ(trail->entries.size(), 22u);

  // The events of removed requests are gone too, so a rebuild keeps them
  // removed.
  for (const auto& e : store_->read_events(1, 100000)) {
    if (e.request_id.empty()) continue;
    int n = number_of(e.request_id);
    EXPECT_TRUE(n >= 20 || n == 5) << to_string(e.kind) << " " << n;
  }
  auto failure = store_->rebuild_read_models();
  ASSERT_FALSE(failure.has_value()) << *failure;
  std::set<int> expected = {5};
  for (int n = 20; n < request_total; ++n) expected.insert(n);
  EXPECT_EQ(remaining(), expected);
  EXPECT_EQ(store_->request_count(), expected.size());
}

TEST_F(Retention, MaximumCountKeepsTheNewest) {
  retention_rule rule;
  rule.max_requests = 10;
  run(rule, 1000);
  // The running 5 and 25 are skipped but count, so the newest eight
  // finished ones stay with them.
  std::set<int> expected = {5, 25};
  for (int n = 32; n < request_total; ++n) expected.insert(n);
  EXPECT_EQ(remaining(), expected);
  EXPECT_EQ(store_->request_count(), 10u);
}

TEST_F(Retention, SmallBatchesRemoveTheSame) {
  retention_rule rule;
  rule.cutoff_ms = created(20);
  retention_step step;
  auto error = store_->remove_old_requests(rule, 1, step);
  ASSERT_FALSE(error.has_value()) << *error;
  EXPECT_EQ(step.removed_requests, 1u);
  EXPECT_TRUE(step.more);
  run(rule, 1);
  std::set<int> expected = {5};
  for (int n = 20; n < request_total; ++n) expected.insert(n);
  EXPECT_EQ(remaining(), expected);
}

TEST_F(Retention, NoRuleRemovesNothing) {
  run(retention_rule{}, 1000);
  EXPECT_EQ(remaining().size(), static_cast<std::size_t>(request_total));
}

}  // namespace
}  // namespace gateway::storage

// Start-up recovery decisions, on a real event store: which unfinished
// requests resume, which end as expired, and which fail.
#include <gtest/gtest.h>

#include "gateway/server/recovery.hpp"
#include "gateway/storage/request_status.hpp"
#include "tests/storage/sample_events.hpp"
#include "tests/storage/temp_directory.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;
using storage::event_kind;
using namespace storage::test_support;

class ResumeRecovery : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(folder_.path().empty());
    std::string error;
    store_ = storage::event_store::open(folder_.path(), {}, &error);
    ASSERT_NE(store_, nullptr) << error;
  }

  void append(std::vector<storage::event> events) {
    auto error = store_->append(events);
    ASSERT_FALSE(error.has_value()) << *error;
  }

  json status(const std::string& request_id) {
    return store_->request_status(request_id).value_or(json());
  }

  temp_directory folder_;
  std::unique_ptr<storage::event_store> store_;
};

// published() in sample_events sets the deadline 20 s after its time.
constexpr std::int64_t published_at = base_time_ms + 2000;
constexpr std::int64_t deadline = published_at + 20000;

TEST_F(ResumeRecovery, PublishedBeforeDeadlineResumes) {
  auto id = request_id_for(1);
  append({accepted(id, false), published(id, {"a", "b", "c"}), reply(id, "a"),
          reply(id, "stranger", 0, false)});

  auto result = recover_unfinished(*store_, deadline - 5000);
  ASSERT_EQ(result.resume.size(), 1u);
  const auto& order = result.resume[0];
  EXPECT_EQ(order.request_id, id);
  EXPECT_TRUE(order.published);
  EXPECT_EQ(order.deadline_ms, deadline);
  EXPECT_EQ(order.expected, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(order.answered, (std::vector<std::string>{"a", "stranger"}));
  EXPECT_EQ(order.accepted.kind, event_kind::request_accepted);
  EXPECT_EQ(status(id)["state"], "running");
  EXPECT_EQ(result.expired, 0u);
}

TEST_F(ResumeRecovery, PublishedAfterDeadlineExpiresWithCounts) {
  auto id = request_id_for(2);
  append({accepted(id, false), published(id, {"a", "b", "c"}), reply(id, "a"),
          reply(id, "b", 1)});

  auto result = recover_unfinished(*store_, deadline + 1);
  EXPECT_TRUE(result.resume.empty());
  EXPECT_EQ(result.expired, 1u);
  json record = status(id);
  EXPECT_EQ(record["state"], "expired") << record;
  EXPECT_EQ(record["expected"], 3) << record;
  EXPECT_EQ(record["received"], 2) << record;
  EXPECT_EQ(record["ok"], 1) << record;
  EXPECT_EQ(record["failed"], 1) << record;
  EXPECT_EQ(record["no_response"], json::array({"c"})) << record;
  EXPECT_TRUE(store_->unfinished_requests().empty());
}

TEST_F(ResumeRecovery, UnpublishedWithinBudgetIsPublishedAgain) {
  // Accepted with timeout 20 s and discovery 2 s: the budget ends 22 s
  // after acceptance.
  auto id = request_id_for(3);
  append({accepted(id, true)});

  auto result = recover_unfinished(*store_, base_time_ms + 10000);
  ASSERT_EQ(result.resume.size(), 1u);
  EXPECT_FALSE(result.resume[0].published);
  EXPECT_EQ(result.resume[0].deadline_ms, base_time_ms + 22000);
  EXPECT_EQ(status(id)["state"], "discovering");
}

TEST_F(ResumeRecovery, UnpublishedPastBudgetFailsWithReason) {
  auto id = request_id_for(4);
  append({accepted(id, true), discovered(id, {"a"})});

  // 2 s of discovery plus 1 s of collection no longer fit.
  auto result = recover_unfinished(*store_, base_time_ms + 19500);
  EXPECT_TRUE(result.resume.empty());
  EXPECT_EQ(result.failed, 1u);
  json record = status(id);
  EXPECT_EQ(record["state"], "failed") << record;
  EXPECT_NE(record["reason"].get<std::string>().find("before publishing"),
            std::string::npos)
      << record;
}

TEST_F(ResumeRecovery, FinishedRequestsAreLeftAlone) {
  auto id = request_id_for(5);
  append({accepted(id, false), published(id, {"a"}), reply(id, "a"),
          finished(event_kind::request_completed, id, {})});
  auto sequence = store_->last_sequence();

  auto result = recover_unfinished(*store_, deadline + 1);
  EXPECT_TRUE(result.resume.empty());
  EXPECT_EQ(result.expired + result.failed + result.errors, 0u);
  EXPECT_EQ(store_->last_sequence(), sequence);
}

TEST(UtcTimestamp, ParsesWhatFormatWrites) {
  for (std::int64_t ms : {std::int64_t{0}, base_time_ms, base_time_ms + 123}) {
    auto text = storage::format_utc_timestamp(ms);
    EXPECT_EQ(parse_utc_timestamp(text), ms) << text;
  }
  EXPECT_FALSE(parse_utc_timestamp("2026-12-04").has_value());
  EXPECT_FALSE(parse_utc_timestamp("2026-12-04T15:00:00.000Zjunk"));
}

}  // namespace
}  // namespace gateway

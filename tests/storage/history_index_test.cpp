// The history and audit indexes: entries written with their events,
// filters, state moves, cursors bound to their query, retention and
// rebuilding from the events.
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "gateway/storage/event_store.hpp"
#include "gateway/storage/request_status.hpp"
#include "tests/storage/sample_events.hpp"
#include "tests/storage/temp_directory.hpp"

namespace gateway::storage {
namespace {

using json = nlohmann::json;
using namespace test_support;

// A request_accepted event of agent.action by caller at time_ms.
event accepted_by(const std::string& request_id, const std::string& caller,
                  const std::string& agent, const std::string& action,
                  std::int64_t time_ms) {
  event e = accepted(request_id, false, time_ms);
  e.caller = caller;
  e.data["agent"] = agent;
  e.data["action"] = action;
  return e;
}

event login(const std::string& user, bool succeeded, std::int64_t time_ms) {
  event e = make_event(succeeded ? event_kind::login_succeeded
                                 : event_kind::login_failed,
                       "", time_ms, {{"address", "127.0.0.1"}});
  e.caller = user;
  return e;
}

std::vector<std::string> ids_of(const history_page& page) {
  std::vector<std::string> ids;
  for (const auto& row : page.requests)
    ids.push_back(row["request_id"].get<std::string>());
  return ids;
}

class HistoryIndex : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    store_ = event_store::open(directory_.path(), {}, &error);
    ASSERT_NE(store_, nullptr) << error;
  }

  void append(std::vector<event> events) {
    auto error = store_->append(events);
    ASSERT_FALSE(error.has_value()) << *error;
  }

  history_page history(history_query query) {
    std::string error;
    auto page = store_->history(query, &error);
    EXPECT_TRUE(page.has_value()) << error;
    return page.value_or(history_page{});
  }

  // Five requests: 1 and 2 by alice (rpcutil.ping), 3 by bob
  // (rpcutil.inventory), 4 by bob (puppet.status), 5 by alice
  // (puppet.status), one second apart. 1 and 4 complete, 2 expires, 3
  // and 5 keep running.
  void add_five_requests() {
    append({accepted_by(request_id_for(1), "alice", "rpcutil", "ping",
                        base_time_ms),
            accepted_by(request_id_for(2), "alice", "rpcutil", "ping",
                        base_time_ms + 1000),
            accepted_by(request_id_for(3), "bob", "rpcutil", "inventory",
                        base_time_ms + 2000)});
    append({accepted_by(request_id_for(4), "bob", "puppet", "status",
                        base_time_ms + 3000),
            finished(event_kind::request_completed, request_id_for(1), {}),
            accepted_by(request_id_for(5), "alice", "puppet", "status",
                        base_time_ms + 4000),
            finished(event_kind::request_expired, request_id_for(2), {"a"}),
            finished(event_kind::request_completed, request_id_for(4), {})});
  }

  temp_directory directory_;
  std::unique_ptr<event_store> store_;
};

TEST_F(HistoryIndex, ListsNewestFirst) {
  add_five_requests();
  auto page = history({});
  EXPECT_EQ(ids_of(page),
            (std::vector<std::string>{request_id_for(5), request_id_for(4),
                                      request_id_for(3), request_id_for(2),
                                      request_id_for(1)}));
  EXPECT_TRUE(page.next_cursor.empty());
  EXPECT_EQ(store_->request_count(), 5u);
}

TEST_F(HistoryIndex, RowsOmitTheSilentNodeList) {
  add_five_requests();
  history_query query;
  query.state = "expired";
  auto page = history(query);
  ASSERT_EQ(page.requests.size(), 1u);
  EXPECT_EQ(page.requests[0]["state"], "expired");
  EXPECT_FALSE(page.requests[0].contains("no_response"));
  EXPECT_EQ(page.requests[0]["caller"], "alice");
}

TEST_F(HistoryIndex, FiltersEachDimension) {
  add_five_requests();
  struct filter_case {
    history_query query;
    std::vector<int> expected;
  };
  std::vector<filter_case> cases(8);
  cases[0].query.caller = "alice";
  cases[0].expected = {5, 2, 1};
  cases[1].query.agent = "rpcutil";
  cases[1].expected = {3, 2, 1};
  cases[2].query.action = "status";
  cases[2].expected = {5, 4};
  cases[3].query.state = "running";
  cases[3].expected = {5, 3};
  cases[4].query.state = "complete";
  cases[4].expected = {4, 1};
  cases[5].query.caller = "bob";
  cases[5].query.agent = "puppet";
  cases[5].expected = {4};
  cases[6].query.state = "running";
  cases[6].query.caller = "alice";
  cases[6].expected = {5};
  cases[7].query.caller = "nobody";
  cases[7].expected = {};

  for (std::size_t i = 0; i < cases.size(); ++i) {
    std::vector<std::string> expected;
    for (int n : cases[i].expected) expected.push_back(request_id_for(n));
    EXPECT_EQ(ids_of(history(cases[i].query)), expected) << "case " << i;
  }
}

TEST_F(HistoryIndex, TimeBoundsAreInclusive) {
  add_five_requests();
  history_query query;
  query.since_ms = base_time_ms + 1000;
  query.until_ms = base_time_ms + 3000;
  EXPECT_EQ(ids_of(history(query)),
            (std::vector<std::string>{request_id_for(4), request_id_for(3),
                                      request_id_for(2)}));

  query.since_ms = base_time_ms + 4001;
  query.until_ms.reset();
  EXPECT_TRUE(history(query).requests.empty());

  query.since_ms.reset();
  query.until_ms = base_time_ms - 1;
  EXPECT_TRUE(history(query).requests.empty());
}

TEST_F(HistoryIndex, StateEntryMovesWithTheState) {
  add_five_requests();
  append({finished(event_kind::request_completed, request_id_for(3), {})});
  history_query running;
  running.state = "running";
  EXPECT_EQ(ids_of(history(running)),
            (std::vector<std::string>{request_id_for(5)}));
  history_query complete;
  complete.state = "complete";
  EXPECT_EQ(ids_of(history(complete)),
            (std::vector<std::string>{request_id_for(4), request_id_for(3),
                                      request_id_for(1)}));
}

TEST_F(HistoryIndex, AcceptedAndFinishedInOneBatch) {
  append({accepted_by(request_id_for(7), "carol", "rpcutil", "ping",
                      base_time_ms),
          published(request_id_for(7), {}),
          finished(event_kind::request_completed, request_id_for(7), {})});
  history_query complete;
  complete.state = "complete";
  EXPECT_EQ(ids_of(history(complete)),
            (std::vector<std::string>{request_id_for(7)}));
  history_query running;
  running.state = "running";
  EXPECT_TRUE(history(running).requests.empty());
}

TEST_F(HistoryIndex, PagesWithCursor) {
  add_five_requests();
  history_query query;
  query.limit = 2;
  std::vector<std::string> seen;
  for (int page_number = 0; page_number < 10; ++page_number) {
    auto page = history(query);
    for (auto& id : ids_of(page)) seen.push_back(id);
    if (page.next_cursor.empty()) break;
    query.cursor = page.next_cursor;
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{request_id_for(5), request_id_for(4),
                                      request_id_for(3), request_id_for(2),
                                      request_id_for(1)}));
}

TEST_F(HistoryIndex, ExactLastPageHasNoCursor) {
  add_five_requests();
  history_query query;
  query.limit = 5;
  EXPECT_TRUE(history(query).next_cursor.empty());
  query.limit = 4;
  EXPECT_FALSE(history(query).next_cursor.empty());
}

TEST_F(HistoryIndex, CursorIsBoundToItsQuery) {
  add_five_requests();
  history_query query;
  query.caller = "alice";
  query.limit = 1;
  auto page = history(query);
  ASSERT_FALSE(page.next_cursor.empty());

  history_query other = query;
  other.caller = "bob";
  other.cursor = page.next_cursor;
  std::string error;
  EXPECT_FALSE(store_->history(other, &error).has_value());
  EXPECT_EQ(error, "invalid cursor");

  // A reply cursor is no history cursor either.
  auto replies = store_->replies(request_id_for(1), "", 1, &error);
  ASSERT_TRUE(replies.has_value());
  other = query;
  other.cursor = "AQAAAAAAAAABAAAAAA";
  EXPECT_FALSE(store_->history(other, &error).has_value());
  EXPECT_EQ(error, "invalid cursor");

  // The same query with another limit accepts it.
  query.cursor = page.next_cursor;
  query.limit = 10;
  EXPECT_EQ(ids_of(history(query)),
            (std::vector<std::string>{request_id_for(2), request_id_for(1)}));
}

TEST_F(HistoryIndex, ZeroLimitIsInvalid) {
  history_query query;
  query.limit = 0;
  std::string error;
  EXPECT_FALSE(store_->history(query, &error).has_value());
  EXPECT_EQ(error, "invalid limit");
}

TEST_F(HistoryIndex, ReplayOfIsRecorded) {
  event replay =
      accepted_by(request_id_for(8), "alice", "rpcutil", "ping", base_time_ms);
  replay.data["replay_of"] = request_id_for(1);
  append({accepted_by(request_id_for(1), "alice", "rpcutil", "ping",
                      base_time_ms - 10),
          replay});
  auto status = store_->request_status(request_id_for(8));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ((*status)["replay_of"], request_id_for(1));
  EXPECT_TRUE((*store_->request_status(request_id_for(1)))["replay_of"]
                  .is_null());
}

TEST_F(HistoryIndex, IdempotencyKeyIsStoredPerUser) {
  event first =
      accepted_by(request_id_for(1), "alice", "rpcutil", "ping", base_time_ms);
  first.data["idempotency_key"] = "retry-1";
  first.data["request_hash"] = "abc";
  append({first});
  auto found = store_->idempotent_request("alice", "retry-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->first, request_id_for(1));
  EXPECT_EQ(found->second, "abc");
  EXPECT_FALSE(store_->idempotent_request("bob", "retry-1").has_value());
  EXPECT_FALSE(store_->idempotent_request("alice", "retry-2").has_value());
}

TEST_F(HistoryIndex, AuditListsLoginsDenialsAndSubmissions) {
  event denied = make_event(event_kind::request_denied, "",
                            base_time_ms + 2000,
                            {{"agent", "puppet"}, {"reason", "no role"}});
  denied.caller = "bob";
  event replay = accepted_by(request_id_for(2), "alice", "rpcutil", "ping",
                             base_time_ms + 4000);
  replay.data["replay_of"] = request_id_for(1);
  append({login("alice", true, base_time_ms), login("bob", false,
                                                     base_time_ms + 1000),
          denied,
          accepted_by(request_id_for(1), "alice", "rpcutil", "ping",
                      base_time_ms + 3000),
          replay, published(request_id_for(1), {"a"})});

  std::string error;
  auto page = store_->audit({}, &error);
  ASSERT_TRUE(page.has_value()) << error;
  std::vector<std::string> kinds;
  for (const auto& entry : page->entries) kinds.push_back(entry["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"replayed", "submitted", "denied",
                                             "login_failed", "login"}));
  EXPECT_EQ(page->entries[0]["details"]["replay_of"], request_id_for(1));
  EXPECT_EQ(page->entries[0]["request_id"], request_id_for(2));
  EXPECT_EQ(page->entries[2]["details"]["reason"], "no role");
  EXPECT_FALSE(page->entries[0].contains("time_ms"));

  audit_query by_caller;
  by_caller.caller = "bob";
  page = store_->audit(by_caller, &error);
  ASSERT_TRUE(page.has_value()) << error;
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0]["kind"], "denied");
  EXPECT_EQ(page->entries[1]["kind"], "login_failed");

  audit_query by_kind;
  by_kind.kind = "login";
  by_kind.since_ms = base_time_ms;
  by_kind.until_ms = base_time_ms;
  page = store_->audit(by_kind, &error);
  ASSERT_TRUE(page.has_value()) << error;
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0]["caller"], "alice");

  audit_query paged;
  paged.limit = 3;
  page = store_->audit(paged, &error);
  ASSERT_TRUE(page.has_value()) << error;
  ASSERT_FALSE(page->next_cursor.empty());
  paged.cursor = page->next_cursor;
  page = store_->audit(paged, &error);
  ASSERT_TRUE(page.has_value()) << error;
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[1]["kind"], "login");
  EXPECT_TRUE(page->next_cursor.empty());
}

TEST_F(HistoryIndex, CountSurvivesReopening) {
  add_five_requests();
  store_.reset();
  std::string error;
  store_ = event_store::open(directory_.path(), {}, &error);
  ASSERT_NE(store_, nullptr) << error;
  EXPECT_EQ(store_->request_count(), 5u);
}

TEST_F(HistoryIndex, RebuildRestoresEveryIndex) {
  add_five_requests();
  append({login("alice", true, base_time_ms + 5000)});
  std::vector<history_query> queries(4);
  queries[1].state = "running";
  queries[2].caller = "bob";
  queries[3].state = "complete";
  std::vector<std::vector<std::string>> before;
  for (const auto& query : queries) before.push_back(ids_of(history(query)));
  auto status_before = store_->request_status(request_id_for(2));
  std::string error;
  auto audit_before = store_->audit({}, &error);
  ASSERT_TRUE(audit_before.has_value()) << error;

  auto failure = store_->rebuild_read_models(2);
  ASSERT_FALSE(failure.has_value()) << *failure;
  for (std::size_t i = 0; i < queries.size(); ++i)
    EXPECT_EQ(ids_of(history(queries[i])), before[i]) << "query " << i;
  EXPECT_EQ(store_->request_status(request_id_for(2)), status_before);
  EXPECT_EQ(store_->request_count(), 5u);
  auto audit_after = store_->audit({}, &error);
  ASSERT_TRUE(audit_after.has_value()) << error;
  EXPECT_EQ(audit_after->entries, audit_before->entries);
  EXPECT_EQ(store_->unfinished_requests(),
            (std::vector<std::string>{request_id_for(3), request_id_for(5)}));
}

TEST(ParseUtcTimestamp, ReadsRfc3339) {
  EXPECT_EQ(parse_utc_timestamp("2026-12-04T15:00:00Z"), base_time_ms);
  EXPECT_EQ(parse_utc_timestamp("2026-12-04T15:00:00.123Z"),
            base_time_ms + 123);
  EXPECT_EQ(parse_utc_timestamp("2026-12-04T15:00:00.1234567Z"),
            base_time_ms + 123);
  EXPECT_EQ(parse_utc_timestamp("2026-12-04T16:30:00+01:30"), base_time_ms);
  EXPECT_EQ(parse_utc_timestamp("2026-12-04T14:00:00.5-01:00"),
            base_time_ms + 500);
  EXPECT_EQ(parse_utc_timestamp(format_utc_timestamp(base_time_ms + 7)),
            base_time_ms + 7);
  for (const char* bad :
       {"", "2026-12-04", "2026-12-04T15:00:00", "2026-13-04T15:00:00Z",
        "2026-02-30T15:00:00Z", "2026-12-04T15:00:00.Z", "2026-12-04 15:00:00Z",
        "2026-12-04T15:00:00+1:00", "2026-12-04T15:00:00Zjunk"})
    EXPECT_FALSE(parse_utc_timestamp(bad).has_value()) << bad;
}

}  // namespace
}  // namespace gateway::storage

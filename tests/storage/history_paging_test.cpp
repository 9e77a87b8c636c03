// History paging over a generated store of 100,000 requests: order,
// filters, and every request on exactly one page.
#include <chrono>
#include <iostream>
#include <map>
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

constexpr int request_total = 100000;
constexpr int requests_per_batch = 2500;
const char* const callers[] = {"alice", "bob", "carol", "dave", "erin"};
const char* const agents[] = {"rpcutil", "puppet", "package"};

std::string request_id(int n) {
  char text[33];
  std::snprintf(text, sizeof text, "%032x", n);
  return text;
}

// Three requests share each millisecond, so that the sequence breaks ties.
std::int64_t time_of(int n) { return base_time_ms + n / 3; }
const char* caller_of(int n) { return callers[n % 5]; }
const char* agent_of(int n) { return agents[n % 3]; }
// Every seventh request stays running; the rest complete.
bool running(int n) { return n % 7 == 0; }

class HistoryPaging : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new temp_directory();
    event_store_options options;
    options.sync = false;
    std::string error;
    store_ = event_store::open(directory_->path(), options, &error).release();
    ASSERT_NE(store_, nullptr) << error;

    auto started = std::chrono::steady_clock::now();
    std::vector<event> batch;
    for (int n = 0; n < request_total; ++n) {
      event e = accepted(request_id(n), false, time_of(n));
      e.caller = caller_of(n);
      e.data["agent"] = agent_of(n);
      batch.push_back(std::move(e));
      if (!running(n))
        batch.push_back(finished(event_kind::request_completed, request_id(n),
                                 {}, time_of(n) + 5));
      if ((n + 1) % requests_per_batch == 0) {
        auto failure = store_->append(batch);
        ASSERT_FALSE(failure.has_value()) << *failure;
        batch.clear();
      }
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    std::cout << "wrote " << request_total << " requests in " << elapsed.count()
              << " ms\n";
  }

  static void TearDownTestSuite() {
    delete store_;
    delete directory_;
  }

  // Reads every page of query and returns the request numbers in order.
  static std::vector<int> read_all(history_query query) {
    std::vector<int> numbers;
    for (int pages = 0; pages < 10 * request_total; ++pages) {
      std::string error;
      auto page = store_->history(query, &error);
      EXPECT_TRUE(page.has_value()) << error;
      if (!page) break;
      for (const auto& row : page->requests)
        numbers.push_back(static_cast<int>(
            std::stol(row["request_id"].get<std::string>(), nullptr, 16)));
      if (page->next_cursor.empty()) break;
      query.cursor = page->next_cursor;
    }
    return numbers;
  }

  // The expected numbers, newest first, of those that match.
  template <class F>
  static std::vector<int> expected(F matches) {
    std::vector<int> numbers;
    for (int n = request_total - 1; n >= 0; --n)
      if (matches(n)) numbers.push_back(n);
    return numbers;
  }

  static temp_directory* directory_;
  static event_store* store_;
};

temp_directory* HistoryPaging::directory_ = nullptr;
event_store* HistoryPaging::store_ = nullptr;

TEST_F(HistoryPaging, EveryRequestOnceNewestFirst) {
  history_query query;
  query.limit = 997;
  auto numbers = read_all(query);
  ASSERT_EQ(numbers.size(), static_cast<std::size_t>(request_total));
  EXPECT_EQ(numbers, expected([](int) { return true; }));
  EXPECT_EQ(store_->request_count(), static_cast<std::uint64_t>(request_total));
}

TEST_F(HistoryPaging, SettleKeepsEveryRequest) {
  auto failure = store_->settle(std::chrono::minutes(5));
  ASSERT_FALSE(failure.has_value()) << *failure;
  history_query query;
  query.limit = 1000;
  EXPECT_EQ(read_all(query), expected([](int) { return true; }));
}

TEST_F(HistoryPaging, CallerFilterPages) {
  history_query query;
  query.caller = "carol";
  query.limit = 500;
  EXPECT_EQ(read_all(query), expected([](int n) {
              return std::string(caller_of(n)) == "carol";
            }));
}

TEST_F(HistoryPaging, StateAndAgentFilterPages) {
  history_query query;
  query.state = "running";
  query.agent = "puppet";
  query.limit = 250;
  EXPECT_EQ(read_all(query), expected([](int n) {
              return running(n) && std::string(agent_of(n)) == "puppet";
            }));
}

TEST_F(HistoryPaging, RareCombinationCrossesBudget) {
  // Caller and agent both cycle, so one pair is a fifteenth of the index
  // the caller filter drives; pages stay short of the limit while the
  // scan budget runs out, and the cursor still reaches every match.
  history_query query;
  query.caller = "bob";
  query.agent = "package";
  query.state = "complete";
  query.limit = 1000;
  EXPECT_EQ(read_all(query), expected([](int n) {
              return !running(n) && std::string(caller_of(n)) == "bob" &&
                     std::string(agent_of(n)) == "package";
            }));
}

TEST_F(HistoryPaging, TimeWindowPages) {
  history_query query;
  query.since_ms = time_of(30000);
  query.until_ms = time_of(60000);
  query.limit = 1000;
  EXPECT_EQ(read_all(query), expected([](int n) {
              return time_of(n) >= time_of(30000) &&
                     time_of(n) <= time_of(60000);
            }));
}

TEST_F(HistoryPaging, DeepPageMatchesFirstPage) {
  // A page from a cursor deep in the history reads the same number of
  // entries as the first page; this prints both times for comparison.
  history_query query;
  query.limit = 100;
  std::string error;
  auto started = std::chrono::steady_clock::now();
  auto first = store_->history(query, &error);
  auto first_time = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(first.has_value()) << error;

  query.since_ms.reset();
  query.until_ms = time_of(1000);
  query.limit = 100;
  started = std::chrono::steady_clock::now();
  auto deep = store_->history(query, &error);
  auto deep_time = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(deep.has_value()) << error;
  ASSERT_EQ(deep->requests.size(), 100u);
  // The newest request at or before time_of(1000) is 1001, 98,998 entries
  // from the start of the index.
  EXPECT_EQ(deep->requests[0]["request_id"], request_id(1001));
  std::cout << "first page "
            << std::chrono::duration_cast<std::chrono::microseconds>(first_time)
                   .count()
            << " us, page at request 1001 of " << request_total << ": "
            << std::chrono::duration_cast<std::chrono::microseconds>(deep_time)
                   .count()
            << " us\n";
}

}  // namespace
}  // namespace gateway::storage

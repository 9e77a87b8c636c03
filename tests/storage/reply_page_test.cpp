#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "gateway/common/encoding.hpp"
#include "gateway/storage/event_store.hpp"
#include "tests/storage/sample_events.hpp"
#include "tests/storage/temp_directory.hpp"

namespace gateway::storage {
namespace {

using json = nlohmann::json;
using namespace test_support;

class ReplyPages : public ::testing::Test {
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

  // Reads every page of request_id with limit, checking each page's size.
  std::vector<json> read_all(const std::string& request_id, std::size_t limit,
                             std::vector<std::string>* cursors = nullptr) {
    std::vector<json> replies;
    std::string cursor;
    for (int pages = 0; pages < 1000; ++pages) {
      std::string error;
      auto page = store_->replies(request_id, cursor, limit, &error);
      EXPECT_TRUE(page.has_value()) << error;
      if (!page) break;
      EXPECT_LE(page->replies.size(), limit);
      for (auto& reply : page->replies) replies.push_back(reply);
      if (page->next_cursor.empty()) break;
      EXPECT_EQ(page->replies.size(), limit);
      cursor = page->next_cursor;
      if (cursors != nullptr) cursors->push_back(cursor);
    }
    return replies;
  }

  temp_directory directory_;
  std::unique_ptr<event_store> store_;
};

TEST_F(ReplyPages, VisitsEachReplyOnceInOrder) {
  std::string id = request_id_for(1);
  append({accepted(id, false)});
  for (int i = 0; i < 50; ++i) append({reply(id, "node" + std::to_string(i))});

  std::vector<std::string> cursors;
  auto replies = read_all(id, 7, &cursors);
  ASSERT_EQ(replies.size(), 50u);
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(replies[i]["sender"], "node" + std::to_string(i));

  // 50 replies in pages of 7 need 8 pages, so 7 cursors.
  ASSERT_EQ(cursors.size(), 7u);
  for (const auto& cursor : cursors) {
    EXPECT_EQ(cursor.find(id), std::string::npos);
    EXPECT_EQ(cursor.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                  "0123456789-_"),
              std::string::npos)
        << cursor;
  }
  EXPECT_EQ(std::set<std::string>(cursors.begin(), cursors.end()).size(), 7u);
}

TEST_F(ReplyPages, ExactMultipleEndsWithoutEmptyPage) {
  std::string id = request_id_for(1);
  append({accepted(id, false)});
  for (int i = 0; i < 14; ++i) append({reply(id, std::to_string(i))});

  auto first = store_->replies(id, "", 7, nullptr);
  ASSERT_TRUE(first.has_value());
  ASSERT_FALSE(first->next_cursor.empty());
  auto second = store_->replies(id, first->next_cursor, 7, nullptr);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->replies.size(), 7u);
  EXPECT_TRUE(second->next_cursor.empty());
}

TEST_F(ReplyPages, CursorSeesLaterReplies) {
  std::string id = request_id_for(1);
  append({accepted(id, false), reply(id, "a"), reply(id, "b")});
  auto first = store_->replies(id, "", 1, nullptr);
  ASSERT_TRUE(first.has_value());
  ASSERT_FALSE(first->next_cursor.empty());

  append({reply(id, "c")});
  auto rest = store_->replies(id, first->next_cursor, 10, nullptr);
  ASSERT_TRUE(rest.has_value());
  ASSERT_EQ(rest->replies.size(), 2u);
  EXPECT_EQ(rest->replies[0]["sender"], "b");
  EXPECT_EQ(rest->replies[1]["sender"], "c");
}

TEST_F(ReplyPages, RejectsInvalidCursors) {
  std::string id = request_id_for(1);
  append({accepted(id, false), reply(id, "a"), reply(id, "b")});

  auto first = store_->replies(id, "", 1, nullptr);
  ASSERT_TRUE(first.has_value());
  std::string valid = first->next_cursor;
  auto bytes = base64url_decode(valid);
  ASSERT_TRUE(bytes.has_value());
  ASSERT_EQ(bytes->size(), 13u);
  EXPECT_EQ(store_->replies(id, valid, 10, nullptr)->replies.size(), 1u);

  std::string other_version = *bytes;
  other_version[0] = '\2';
  std::string other_request = *bytes;
  other_request[12] ^= 1;
  const std::string cursors[] = {
      "not a cursor",
      "!!!!",
      base64url_encode(other_version),
      base64url_encode(other_request),
      base64url_encode(bytes->substr(0, 9)),
      base64url_encode(*bytes + "x"),
      base64_encode(*bytes) + "=",
  };
  for (const auto& cursor : cursors) {
    std::string error;
    EXPECT_FALSE(store_->replies(id, cursor, 10, &error).has_value()) << cursor;
    EXPECT_EQ(error, "invalid cursor") << cursor;
  }

  std::string error;
  EXPECT_FALSE(store_->replies(id, "", 0, &error).has_value());
  EXPECT_EQ(error, "invalid limit");
}

TEST_F(ReplyPages, InterleavedRequestsDoNotMix) {
  // The second id extends the first, so a prefix seek without a separator
  // would mix them.
  std::string first = "abc";
  std::string second = "abcd";
  std::string third = request_id_for(3);
  append({accepted(first, false), accepted(second, false),
          accepted(third, false)});
  for (int i = 0; i < 30; ++i) {
    std::vector<event> batch = {reply(first, "first" + std::to_string(i)),
                                reply(second, "second" + std::to_string(i))};
    if (i % 3 == 0) batch.push_back(reply(third, "third" + std::to_string(i)));
    append(batch);
  }

  auto check = [&](const std::string& id, const std::string& name,
                   std::size_t count, int step) {
    auto replies = read_all(id, 4);
    ASSERT_EQ(replies.size(), count) << id;
    for (std::size_t i = 0; i < replies.size(); ++i)
      EXPECT_EQ(replies[i]["sender"], name + std::to_string(i * step));
    EXPECT_EQ((*store_->request_status(id))["received"], count);
  };
  check(first, "first", 30, 1);
  check(second, "second", 30, 1);
  check(third, "third", 10, 3);

  // A cursor of one request is invalid for another.
  auto page = store_->replies(first, "", 4, nullptr);
  ASSERT_TRUE(page.has_value());
  std::string error;
  EXPECT_FALSE(
      store_->replies(second, page->next_cursor, 4, &error).has_value());
  EXPECT_EQ(error, "invalid cursor");

  auto unknown = store_->replies(request_id_for(9), "", 10, nullptr);
  ASSERT_TRUE(unknown.has_value());
  EXPECT_TRUE(unknown->replies.empty());
  EXPECT_TRUE(unknown->next_cursor.empty());
}

TEST_F(ReplyPages, ReadersRunDuringAppends) {
  std::string id = request_id_for(1);
  append({accepted(id, false), published(id, {"a"})});
  constexpr int reply_count = 300;

  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  auto reader = [&] {
    std::size_t seen = 0;
    while (!done.load()) {
      auto replies = read_all(id, 25);
      auto status = store_->request_status(id);
      if (replies.size() < seen || !status) failures.fetch_add(1);
      seen = replies.size();
      for (std::size_t i = 0; i < replies.size(); ++i)
        if (replies[i]["sender"] != "n" + std::to_string(i))
          failures.fetch_add(1);
    }
  };
  std::thread first(reader);
  std::thread second(reader);
  for (int i = 0; i < reply_count; ++i)
    append({reply(id, "n" + std::to_string(i))});
  done.store(true);
  first.join();
  second.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(read_all(id, 1000).size(), static_cast<std::size_t>(reply_count));
}

}  // namespace
}  // namespace gateway::storage

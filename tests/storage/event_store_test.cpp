#include "gateway/storage/event_store.hpp"

#include <memory>
#include <set>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "tests/storage/sample_events.hpp"
#include "tests/storage/temp_directory.hpp"

namespace gateway::storage {
namespace {

using json = nlohmann::json;
using namespace test_support;

class EventStore : public ::testing::Test {
 protected:
  std::unique_ptr<event_store> open_store(event_store_options options = {}) {
    std::string error;
    auto store = event_store::open(directory_.path(), options, &error);
    EXPECT_NE(store, nullptr) << error;
    return store;
  }

  // Appends events and checks that the append succeeded.
  void append(event_store& store, std::vector<event> events) {
    auto error = store.append(events);
    ASSERT_FALSE(error.has_value()) << *error;
  }

  temp_directory directory_;
};

TEST_F(EventStore, AppendAssignsConsecutiveSequences) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->last_sequence(), 0u);

  std::vector<event> first = {accepted(request_id_for(1), false),
                              published(request_id_for(1), {"a"})};
  ASSERT_FALSE(store->append(first).has_value());
  EXPECT_EQ(first[0].sequence, 1u);
  EXPECT_EQ(first[1].sequence, 2u);

  std::vector<event> second = {
      make_event(event_kind::login_succeeded, "", base_time_ms, {})};
  ASSERT_FALSE(store->append(second).has_value());
  EXPECT_EQ(second[0].sequence, 3u);
  EXPECT_EQ(store->last_sequence(), 3u);

  std::string error;
  auto events = store->read_events(1, 10, &error);
  EXPECT_TRUE(error.empty()) << error;
  ASSERT_EQ(events.size(), 3u);
  for (std::size_t i = 0; i < events.size(); ++i)
    EXPECT_EQ(events[i].sequence, i + 1);
  EXPECT_EQ(events[0].kind, event_kind::request_accepted);
  EXPECT_EQ(events[0].data, first[0].data);
  EXPECT_EQ(events[1].kind, event_kind::request_published);
  EXPECT_EQ(events[2].kind, event_kind::login_succeeded);

  auto tail = store->read_events(2, 1);
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].sequence, 2u);
  EXPECT_TRUE(store->read_events(4, 10).empty());
}

TEST_F(EventStore, EmptyAppendWritesNothing) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  std::vector<event> none;
  EXPECT_FALSE(store->append(none).has_value());
  EXPECT_EQ(store->last_sequence(), 0u);
}

TEST_F(EventStore, LifecycleStatusAndReplies) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  std::string id = request_id_for(1);
  append(*store, {accepted(id, false)});
  append(*store, {published(id, {"n1", "n2", "n3", "n4"})});
  append(*store, {reply(id, "n1", 0), reply(id, "n2", 1)});
  append(*store, {reply(id, "stranger", 0, false)});
  append(*store, {reply(id, "n3", 0)});

  auto running = store->request_status(id);
  ASSERT_TRUE(running.has_value());
  EXPECT_EQ((*running)["state"], "running");
  EXPECT_EQ((*running)["received"], 3);
  EXPECT_EQ(store->unfinished_requests(), std::vector<std::string>{id});

  append(*store, {finished(event_kind::request_completed, id, {"n4"})});
  auto status = store->request_status(id);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ((*status)["state"], "complete");
  EXPECT_EQ((*status)["expected"], 4);
  EXPECT_EQ((*status)["received"], 3);
  EXPECT_EQ((*status)["ok"], 2);
  EXPECT_EQ((*status)["failed"], 1);
  EXPECT_EQ((*status)["unexpected"], 1);
  EXPECT_EQ((*status)["no_response"], json::array({"n4"}));
  EXPECT_EQ((*status)["completed_at"], "2026-12-04T15:00:09.000Z");
  EXPECT_TRUE(store->unfinished_requests().empty());

  auto page = store->replies(id, "", 10, nullptr);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->replies.size(), 4u);
  EXPECT_EQ(page->replies[0]["sender"], "n1");
  EXPECT_EQ(page->replies[1]["statuscode"], 1);
  EXPECT_EQ(page->replies[2]["sender"], "stranger");
  EXPECT_EQ(page->replies[3]["received_at"], "2026-12-04T15:00:03.000Z");
  EXPECT_TRUE(page->next_cursor.empty());
}

TEST_F(EventStore, ExpectedNodesStoredApart) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  std::string id = request_id_for(1);
  std::vector<std::string> nodes;
  for (int i = 0; i < 10000; ++i)
    nodes.push_back("node" + std::to_string(i) + ".example.net");
  append(*store, {accepted(id, false), published(id, nodes)});

  EXPECT_EQ(store->expected_nodes(id), nodes);
  auto status = store->request_status(id);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ((*status)["expected"], 10000);
  EXPECT_LT(status->dump().size(), 1000u);
  EXPECT_TRUE(store->expected_nodes(request_id_for(2)).empty());
}

TEST_F(EventStore, BatchOfOneRequestAppliesInOrder) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  std::string id = request_id_for(1);
  std::vector<event> batch = {
      accepted(id, true),
      discovered(id, {"a", "b", "c"}),
      published(id, {"a", "b", "c"}),
      reply(id, "a", 0),
      reply(id, "b", 4),
      reply(id, "c", 0),
      finished(event_kind::request_completed, id, {}),
      reply(id, "a", 0, true, base_time_ms + 9500),
  };
  ASSERT_FALSE(store->append(batch).has_value());
  EXPECT_EQ(batch.back().sequence, 8u);

  auto status = store->request_status(id);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ((*status)["state"], "complete");
  EXPECT_EQ((*status)["discovered"], 3);
  EXPECT_EQ((*status)["expected"], 3);
  EXPECT_EQ((*status)["received"], 4);
  EXPECT_EQ((*status)["ok"], 3);
  EXPECT_EQ((*status)["failed"], 1);
  EXPECT_EQ((*status)["accepted_sequence"], 1);
  EXPECT_TRUE(store->unfinished_requests().empty());

  auto page = store->replies(id, "", 100, nullptr);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->replies.size(), 4u);
}

TEST_F(EventStore, DeniedRequestHasNoStatus) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  std::string id = request_id_for(1);
  append(*store, {make_event(event_kind::request_denied, id, base_time_ms,
                             {{"reason", "not allowed"}})});
  std::string error;
  EXPECT_FALSE(store->request_status(id, &error).has_value());
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_EQ(store->read_events(1, 1).size(), 1u);
}

TEST_F(EventStore, InvalidRequestIdWritesNothing) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  append(*store, {accepted(request_id_for(1), false)});

  for (std::string bad :
       {std::string(""), std::string("a/b"), std::string("a\0b", 3)}) {
    std::vector<event> batch = {reply(request_id_for(1), "n1"),
                                accepted(bad, false)};
    auto error = store->append(batch);
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("invalid request id"), std::string::npos) << *error;
    EXPECT_EQ(batch[0].sequence, 0u);
    EXPECT_EQ(batch[1].sequence, 0u);
  }
  EXPECT_EQ(store->last_sequence(), 1u);
  EXPECT_EQ(store->read_events(1, 10).size(), 1u);
  EXPECT_EQ((*store->request_status(request_id_for(1)))["received"], 0);

  // Kinds without a status need no request id.
  append(*store, {make_event(event_kind::login_failed, "", 0, {})});
  EXPECT_EQ(store->last_sequence(), 2u);
}

TEST_F(EventStore, AcceptedEventHoldsRequest) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  append(*store, {make_event(event_kind::login_succeeded, "", 0, {})});
  std::string id = request_id_for(1);
  append(*store, {accepted(id, false), published(id, {"a"})});

  auto request = store->accepted_event(id);
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->sequence, 2u);
  EXPECT_EQ(request->kind, event_kind::request_accepted);
  EXPECT_EQ(request->data["timeout"], 20);
  EXPECT_FALSE(store->accepted_event(request_id_for(2)).has_value());
}

TEST_F(EventStore, ReopenKeepsEverything) {
  std::string id = request_id_for(1);
  {
    auto store = open_store();
    ASSERT_NE(store, nullptr);
    append(*store,
           {accepted(id, false), published(id, {"a", "b"}), reply(id, "a")});
  }

  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->last_sequence(), 3u);
  auto status = store->request_status(id);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ((*status)["received"], 1);
  EXPECT_EQ(store->expected_nodes(id), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(store->replies(id, "", 10, nullptr)->replies.size(), 1u);
  EXPECT_EQ(store->read_events(1, 10).size(), 3u);

  // The reopened store starts without cached statuses, so this reply
  // updates the record it reads back from RocksDB.
  std::vector<event> more = {reply(id, "b")};
  ASSERT_FALSE(store->append(more).has_value());
  EXPECT_EQ(more[0].sequence, 4u);
  EXPECT_EQ((*store->request_status(id))["received"], 2);
}

TEST_F(EventStore, WalOnlyModeWorks) {
  std::string id = request_id_for(1);
  event_store_options options;
  options.sync = false;
  {
    auto store = open_store(options);
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < 20; ++i)
      append(*store, {i == 0 ? accepted(id, false)
                             : reply(id, "n" + std::to_string(i))});
    EXPECT_EQ(store->last_sequence(), 20u);
  }
  auto store = open_store(options);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->last_sequence(), 20u);
  EXPECT_EQ((*store->request_status(id))["received"], 19);
}

TEST_F(EventStore, UnfinishedAfterReopen) {
  {
    auto store = open_store();
    ASSERT_NE(store, nullptr);
    for (int i = 1; i <= 6; ++i) {
      std::string id = request_id_for(i);
      append(*store, {accepted(id, i == 2), published(id, {"a"})});
    }
    append(*store,
           {finished(event_kind::request_completed, request_id_for(1), {})});
    append(*store,
           {finished(event_kind::request_expired, request_id_for(3), {"a"})});
    append(*store, {make_event(event_kind::request_failed, request_id_for(5), 0,
                               {{"reason", "publish failed"}})});
    append(*store, {accepted(request_id_for(7), true)});
    append(*store,
           {make_event(event_kind::request_denied, request_id_for(8), 0, {})});
  }

  auto store = open_store();
  ASSERT_NE(store, nullptr);
  std::string error;
  EXPECT_EQ(store->unfinished_requests(&error),
            (std::vector<std::string>{request_id_for(2), request_id_for(4),
                                      request_id_for(6), request_id_for(7)}));
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_EQ((*store->request_status(request_id_for(7)))["state"],
            "discovering");

  // The reopened store reads the record from RocksDB, not from its cache.
  append(*store,
         {finished(event_kind::request_expired, request_id_for(2), {"a"})});
  EXPECT_EQ(store->unfinished_requests(),
            (std::vector<std::string>{request_id_for(4), request_id_for(6),
                                      request_id_for(7)}));
}

TEST_F(EventStore, SmallStatusCacheStaysCorrect) {
  event_store_options options;
  options.status_cache_size = 1;
  auto store = open_store(options);
  ASSERT_NE(store, nullptr);
  for (int i = 1; i <= 3; ++i)
    append(*store, {accepted(request_id_for(i), false)});
  for (int round = 0; round < 5; ++round)
    for (int i = 1; i <= 3; ++i)
      append(*store, {reply(request_id_for(i), "n" + std::to_string(round))});
  for (int i = 1; i <= 3; ++i)
    EXPECT_EQ((*store->request_status(request_id_for(i)))["received"], 5);
}

TEST_F(EventStore, SecondOpenFailsWithError) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  std::string error;
  EXPECT_EQ(event_store::open(directory_.path(), {}, &error), nullptr);
  EXPECT_NE(error.find(directory_.path()), std::string::npos) << error;
}

TEST(EventStoreOpen, CreatesParentDirectories) {
  temp_directory parent;
  std::string path = parent.path() + "/data/gateway/events";
  std::string error;
  auto store = event_store::open(path, {}, &error);
  ASSERT_NE(store, nullptr) << error;
  std::vector<event> login = {make_event(event_kind::login_failed, "", 0, {})};
  EXPECT_FALSE(store->append(login).has_value());
}

TEST(EventStoreOpen, MissingDirectoryWithoutCreate) {
  temp_directory parent;
  event_store_options options;
  options.create_if_missing = false;
  std::string error;
  EXPECT_EQ(event_store::open(parent.path() + "/absent", options, &error),
            nullptr);
  EXPECT_FALSE(error.empty());
}

// Writes key = value into family of the closed database in path, behind
// the event store's back, as another program or a newer gateway would.
void put_raw(const std::string& path, const std::string& family,
             const std::string& key, const std::string& value) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "events", "requests", "replies", "meta",
                           "index"})
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(
      rocksdb::DB::Open(rocksdb::Options(), path, families, &handles, &raw)
          .ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  for (auto* handle : handles) {
    if (handle->GetName() != family) continue;
    rocksdb::Status written =
        db->Put(rocksdb::WriteOptions(), handle, key, value);
    EXPECT_TRUE(written.ok()) << written.ToString();
  }
  for (auto* handle : handles)
    ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
}

TEST(EventStoreOpen, RejectsOtherFormatVersion) {
  temp_directory directory;
  std::string error;
  ASSERT_NE(event_store::open(directory.path(), {}, &error), nullptr) << error;
  put_raw(directory.path(), "meta", "format_version", "2");

  EXPECT_EQ(event_store::open(directory.path(), {}, &error), nullptr);
  EXPECT_NE(error.find("unsupported format version \"2\""), std::string::npos)
      << error;
}

TEST(EventStoreOpen, UndecodableEventReported) {
  temp_directory directory;
  {
    std::string error;
    auto store = event_store::open(directory.path(), {}, &error);
    ASSERT_NE(store, nullptr) << error;
    std::vector<event> login = {
        make_event(event_kind::login_failed, "", 0, {})};
    ASSERT_FALSE(store->append(login).has_value());
  }

  // A newer gateway would write a second event in a future encoding.
  put_raw(directory.path(), "events", std::string("\0\0\0\0\0\0\0\2", 8),
          R"({"v":2,"seq":2,"kind":"login_failed"})");

  std::string error;
  auto store = event_store::open(directory.path(), {}, &error);
  ASSERT_NE(store, nullptr) << error;
  EXPECT_EQ(store->last_sequence(), 2u);
  auto events = store->read_events(1, 10, &error);
  EXPECT_EQ(events.size(), 1u);
  EXPECT_NE(error.find("version 2"), std::string::npos) << error;
}

}  // namespace
}  // namespace gateway::storage

#include <gtest/gtest.h>

#include "gateway/storage/event_store.hpp"
#include "tests/storage/sample_events.hpp"
#include "tests/storage/temp_directory.hpp"

namespace gateway::storage {
namespace {

using namespace test_support;

std::unique_ptr<event_store> open_store(const temp_directory& directory) {
  std::string error;
  auto store = event_store::open(directory.path(), {}, &error);
  EXPECT_NE(store, nullptr) << error;
  return store;
}

event revocation(const std::string& jti) {
  return make_event(event_kind::token_revoked, "", base_time_ms,
                    {{"jti", jti}, {"expires_at", 1800000000}});
}

TEST(RevocationIndex, HoldsOnlyRevocationsAcrossReopen) {
  temp_directory directory;
  {
    auto store = open_store(directory);
    ASSERT_NE(store, nullptr);
    std::vector<event> events = {
        revocation("a"), accepted(request_id_for(1), false),
        make_event(event_kind::login_failed, "", base_time_ms, {}),
        revocation("b")};
    ASSERT_FALSE(store->append(events).has_value());
  }
  auto store = open_store(directory);
  ASSERT_NE(store, nullptr);
  std::string error;
  const auto revoked = store->revocation_events(&error);
  EXPECT_TRUE(error.empty()) << error;
  ASSERT_EQ(revoked.size(), 2u);
  EXPECT_EQ(revoked[0].data["jti"], "a");
  EXPECT_EQ(revoked[0].sequence, 1u);
  EXPECT_EQ(revoked[1].data["jti"], "b");
  EXPECT_EQ(revoked[1].sequence, 4u);
}

TEST(RevocationIndex, ForgetRemovesEntriesButNotEvents) {
  temp_directory directory;
  auto store = open_store(directory);
  ASSERT_NE(store, nullptr);
  std::vector<event> events = {revocation("a"), revocation("b")};
  ASSERT_FALSE(store->append(events).has_value());

  ASSERT_FALSE(store->forget_revocations({1}).has_value());
  const auto revoked = store->revocation_events();
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].data["jti"], "b");
  EXPECT_EQ(store->read_events(1, 10).size(), 2u);
}

}  // namespace
}  // namespace gateway::storage

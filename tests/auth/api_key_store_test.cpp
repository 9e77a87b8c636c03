#include "gateway/auth/api_key_store.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/auth/temp_dir.hpp"

namespace gateway::auth {
namespace {

using testing::temp_dir;

constexpr std::int64_t now = 1'800'000'000;

api_key_store open_store(const std::filesystem::path& path) {
  std::string error;
  auto store = api_key_store::open(path, &error);
  EXPECT_TRUE(store.has_value()) << error;
  return std::move(*store);
}

TEST(ApiKeyStore, CreatedKeyVerifiesAndSurvivesReopen) {
  temp_dir dir;
  const auto path = dir.path() / "api_keys.json";
  std::string key;
  {
    auto store = open_store(path);
    std::string error;
    auto created =
        store.create("alice", "deploy", {"rpcutil.ping"}, "root", now, &error);
    ASSERT_TRUE(created.has_value()) << error;
    key = created->key;
    EXPECT_TRUE(api_key_store::is_api_key(key)) << key;
    const auto* record = store.verify(key);
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->owner, "alice");
    EXPECT_EQ(record->created_by, "root");
  }
  const auto reopened = open_store(path);
  const auto* record = reopened.verify(key);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->scope, std::vector<std::string>{"rpcutil.ping"});
  EXPECT_EQ(record->name, "deploy");
}

TEST(ApiKeyStore, FileHoldsOnlyHashWithMode0600) {
  temp_dir dir;
  const auto path = dir.path() / "api_keys.json";
  auto store = open_store(path);
  std::string error;
  auto created =
      store.create("alice", "ci", {"rpcutil.*"}, "root", now, &error);
  ASSERT_TRUE(created.has_value()) << error;

  std::ifstream in(path);
  const std::string text(std::istreambuf_iterator<char>(in), {});
  const auto secret = created->key.substr(created->key.rfind('_') + 1);
  EXPECT_EQ(text.find(secret), std::string::npos);
  EXPECT_NE(text.find(created->record.key_hash), std::string::npos);
  struct stat status {};
  ASSERT_EQ(::stat(path.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);
}

TEST(ApiKeyStore, WrongOrTamperedKeysRejected) {
  temp_dir dir;
  auto store = open_store(dir.path() / "api_keys.json");
  std::string error;
  auto created =
      store.create("alice", "ci", {"rpcutil.*"}, "root", now, &error);
  ASSERT_TRUE(created.has_value()) << error;
  auto tampered = created->key;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(store.verify(tampered), nullptr);
  EXPECT_EQ(store.verify(created->key.substr(0, 30)), nullptr);
  EXPECT_EQ(store.verify(""), nullptr);
  EXPECT_EQ(store.verify("cgw_0000000000000000_" + std::string(43, 'A')),
            nullptr);
  EXPECT_FALSE(api_key_store::is_api_key("eyJhbGciOi.e30.sig"));
}

TEST(ApiKeyStore, RevokedKeyStopsVerifying) {
  temp_dir dir;
  const auto path = dir.path() / "api_keys.json";
  auto store = open_store(path);
  std::string error;
  auto first = store.create("alice", "a", {"rpcutil.*"}, "root", now, &error);
  auto second = store.create("bob", "b", {"rpcutil.*"}, "root", now, &error);
  ASSERT_TRUE(first && second) << error;
  EXPECT_EQ(store.list().size(), 2u);
  EXPECT_TRUE(store.revoke(first->record.id, &error)) << error;
  EXPECT_FALSE(store.revoke(first->record.id, &error));
  EXPECT_EQ(store.verify(first->key), nullptr);
  EXPECT_NE(store.verify(second->key), nullptr);
  EXPECT_EQ(open_store(path).verify(first->key), nullptr);
  EXPECT_EQ(open_store(path).list().size(), 1u);
}

TEST(ApiKeyStore, ExpiryKeptAcrossReopen) {
  temp_dir dir;
  const auto path = dir.path() / "api_keys.json";
  auto store = open_store(path);
  std::string error;
  auto lasting = store.create("alice", "a", {"rpcutil.*"}, "root", now, &error);
  auto expiring =
      store.create("alice", "b", {"rpcutil.*"}, "root", now, now + 60, &error);
  ASSERT_TRUE(lasting.has_value()) << error;
  ASSERT_TRUE(expiring.has_value()) << error;

  const auto reopened = open_store(path);
  const auto* record = reopened.verify(expiring->key);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->expires_at, now + 60);
  EXPECT_FALSE(record->expired(now + 59));
  EXPECT_TRUE(record->expired(now + 60));
  const auto* never = reopened.verify(lasting->key);
  ASSERT_NE(never, nullptr);
  EXPECT_EQ(never->expires_at, 0);
  EXPECT_FALSE(never->expired(now + 100'000'000));
}

TEST(ApiKeyStore, ExpiryBeforeCreationRejected) {
  temp_dir dir;
  auto store = open_store(dir.path() / "api_keys.json");
  std::string error;
  EXPECT_FALSE(
      store.create("alice", "x", {"rpcutil.*"}, "root", now, now, &error));
  EXPECT_NE(error.find("expiry"), std::string::npos) << error;
  EXPECT_TRUE(store.list().empty());
}

TEST(ApiKeyStore, RevokeOwnerDeletesOnlyTheirKeys) {
  temp_dir dir;
  const auto path = dir.path() / "api_keys.json";
  auto store = open_store(path);
  std::string error;
  auto first = store.create("alice", "a", {"rpcutil.*"}, "root", now, &error);
  auto second = store.create("alice", "b", {"rpcutil.*"}, "root", now, &error);
  auto other = store.create("bob", "c", {"rpcutil.*"}, "root", now, &error);
  ASSERT_TRUE(first.has_value()) << error;
  ASSERT_TRUE(second.has_value()) << error;
  ASSERT_TRUE(other.has_value()) << error;

  EXPECT_EQ(store.revoke_owner("alice", &error), 2u);
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_EQ(store.verify(first->key), nullptr);
  EXPECT_EQ(store.verify(second->key), nullptr);
  EXPECT_NE(store.verify(other->key), nullptr);
  EXPECT_EQ(store.revoke_owner("alice", &error), 0u);

  const auto reopened = open_store(path);
  EXPECT_EQ(reopened.verify(first->key), nullptr);
  EXPECT_EQ(reopened.verify(second->key), nullptr);
  EXPECT_NE(reopened.verify(other->key), nullptr);
}

TEST(ApiKeyStore, InvalidScopeRejected) {
  temp_dir dir;
  auto store = open_store(dir.path() / "api_keys.json");
  std::string error;
  EXPECT_FALSE(store.create("alice", "x", {}, "root", now, &error));
  EXPECT_NE(error.find("at least one"), std::string::npos) << error;
  EXPECT_FALSE(store.create("alice", "x", {"rpcutil"}, "root", now, &error));
  EXPECT_NE(error.find("invalid pattern"), std::string::npos) << error;
  EXPECT_TRUE(store.list().empty());
}

TEST(ApiKeyStore, CorruptFileRejected) {
  temp_dir dir;
  const auto path = dir.write("api_keys.json", R"([{"id": "x"}])");
  std::string error;
  EXPECT_FALSE(api_key_store::open(path, &error).has_value());
  EXPECT_NE(error.find("entry 0 is invalid"), std::string::npos) << error;
}

TEST(PatternCovers, Cases) {
  auto p = [](const char* text) { return *acl_pattern::parse(text); };
  EXPECT_TRUE(pattern_covers(p("*"), p("rpcutil.ping")));
  EXPECT_TRUE(pattern_covers(p("rpcutil.*"), p("rpcutil.ping")));
  EXPECT_TRUE(pattern_covers(p("*.ping"), p("rpcutil.ping")));
  EXPECT_TRUE(pattern_covers(p("rpcutil.ping"), p("rpcutil.ping")));
  EXPECT_TRUE(pattern_covers(p("*.*"), p("*")));
  EXPECT_FALSE(pattern_covers(p("rpcutil.ping"), p("rpcutil.*")));
  EXPECT_FALSE(pattern_covers(p("rpcutil.*"), p("*")));
  EXPECT_FALSE(pattern_covers(p("*.ping"), p("rpcutil.*")));
  EXPECT_FALSE(pattern_covers(p("puppet.*"), p("rpcutil.ping")));
}

}  // namespace
}  // namespace gateway::auth

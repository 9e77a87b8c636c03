#include "gateway/auth/login.hpp"

#include <crypt.h>

#include <gtest/gtest.h>

#include <memory>

#include <string>

#include "gateway/auth/password.hpp"

namespace gateway::auth {
namespace {

user make_user(const std::string& password) {
  const auto hash = hash_password(password, 4);
  EXPECT_TRUE(hash.has_value());
  return user{"alice", hash.value_or(""), {}, {}};
}

TEST(VerifyLogin, AcceptsRightPassword) {
  const user alice = make_user("s3cret");
  const auto before = bcrypt_run_count();
  EXPECT_TRUE(verify_login(&alice, "s3cret"));
  EXPECT_EQ(bcrypt_run_count() - before, 1u);
}

TEST(VerifyLogin, RejectsWrongPassword) {
  const user alice = make_user("s3cret");
  const auto before = bcrypt_run_count();
  EXPECT_FALSE(verify_login(&alice, "s3cres"));
  EXPECT_EQ(bcrypt_run_count() - before, 1u);
}

TEST(VerifyLogin, UnknownUserRunsOneBcrypt) {
  const auto dummy = hash_password("unused", 4);
  ASSERT_TRUE(dummy.has_value());
  const auto before = bcrypt_run_count();
  EXPECT_FALSE(verify_login(nullptr, "unused", *dummy));
  EXPECT_EQ(bcrypt_run_count() - before, 1u);
}

TEST(VerifyLogin, UnknownUserWithDefaultDummyHash) {
  EXPECT_TRUE(is_bcrypt_hash(default_dummy_hash));
  EXPECT_EQ(bcrypt_cost(default_dummy_hash), default_bcrypt_cost);
  const auto before = bcrypt_run_count();
  EXPECT_FALSE(verify_login(nullptr, "anything"));
  EXPECT_EQ(bcrypt_run_count() - before, 1u);
}

TEST(VerifyLogin, TooLongPasswordRunsOneBcrypt) {
  const user alice = make_user(std::string(72, 'x'));
  const auto dummy = hash_password("unused", 4);
  ASSERT_TRUE(dummy.has_value());
  const auto before = bcrypt_run_count();
  EXPECT_FALSE(verify_login(&alice, std::string(73, 'x'), *dummy));
  EXPECT_EQ(bcrypt_run_count() - before, 1u);
}

TEST(VerifyLogin, EmptyPasswordRunsOneBcrypt) {
  const user alice = make_user("s3cret");
  const auto dummy = hash_password("unused", 4);
  ASSERT_TRUE(dummy.has_value());
  const auto before = bcrypt_run_count();
  EXPECT_FALSE(verify_login(&alice, "", *dummy));
  EXPECT_EQ(bcrypt_run_count() - before, 1u);
}

TEST(DummyHash, SetsCostAndKeepsSalt) {
  const std::string dummy = dummy_hash_for_cost(4);
  EXPECT_TRUE(is_bcrypt_hash(dummy));
  EXPECT_EQ(bcrypt_cost(dummy), 4);
  EXPECT_EQ(dummy.substr(7), std::string(default_dummy_hash).substr(7));
  EXPECT_EQ(bcrypt_cost(dummy_hash_for_cost(10)), 10);
  EXPECT_EQ(bcrypt_cost(dummy_hash_for_cost(1)), 4);
  EXPECT_EQ(bcrypt_cost(dummy_hash_for_cost(40)), 31);
}

TEST(DummyHash, CryptAcceptsIt) {
  // A setting crypt_rn rejected would make unknown usernames fast again.
  auto data = std::make_unique<crypt_data>();
  const std::string dummy = dummy_hash_for_cost(4);
  const char* result =
      crypt_rn("password", dummy.c_str(), data.get(), sizeof(crypt_data));
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(std::string(result).substr(0, 29), dummy.substr(0, 29));
  EXPECT_NE(std::string(result), dummy);
}

user_directory directory_with_costs(const std::vector<int>& costs) {
  std::string text = "[";
  for (std::size_t i = 0; i < costs.size(); ++i) {
    if (i > 0) text += ",";
    text += R"({"username": "user)" + std::to_string(i) +
            R"(", "password": ")" + dummy_hash_for_cost(costs[i]) + "\"}";
  }
  text += "]";
  std::string error;
  auto directory = user_directory::parse(text, &error);
  EXPECT_TRUE(directory.has_value()) << error;
  return std::move(*directory);
}

TEST(DummyHash, DirectoryUsesMostCommonCost) {
  EXPECT_EQ(bcrypt_cost(directory_with_costs({}).dummy_hash()), 12);
  EXPECT_EQ(bcrypt_cost(directory_with_costs({10, 10, 12}).dummy_hash()), 10);
  EXPECT_EQ(bcrypt_cost(directory_with_costs({5, 4, 4, 5}).dummy_hash()), 5);
}

TEST(VerifyLogin, ByUsernameInDirectory) {
  const auto hash = hash_password("s3cret", 4);
  ASSERT_TRUE(hash.has_value());
  std::string error;
  const auto directory = user_directory::parse(
      R"([{"username": "alice", "password": ")" + *hash + R"("}])", &error);
  ASSERT_TRUE(directory.has_value()) << error;
  EXPECT_EQ(bcrypt_cost(directory->dummy_hash()), 4);

  auto before = bcrypt_run_count();
  EXPECT_TRUE(verify_login(*directory, "alice", "s3cret"));
  EXPECT_EQ(bcrypt_run_count() - before, 1u);

  before = bcrypt_run_count();
  EXPECT_FALSE(verify_login(*directory, "alice", "wrong"));
  EXPECT_EQ(bcrypt_run_count() - before, 1u);

  before = bcrypt_run_count();
  EXPECT_FALSE(verify_login(*directory, "mallory", "s3cret"));
  EXPECT_EQ(bcrypt_run_count() - before, 1u);
}

}  // namespace
}  // namespace gateway::auth

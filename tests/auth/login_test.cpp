#include "gateway/auth/login.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace gateway::auth

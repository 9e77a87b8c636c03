#include "gateway/auth/password.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gateway::auth {
namespace {

// Cost 4, bcrypt's minimum, keeps the tests fast.
constexpr int test_cost = 4;

TEST(Password, HashVerifyRoundTrip) {
  const auto hash = hash_password("correct horse", test_cost);
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(is_bcrypt_hash(*hash));
  EXPECT_EQ(hash->substr(0, 7), "$2b$04$");
  EXPECT_TRUE(verify_password("correct horse", *hash));
}

TEST(Password, WrongPasswordFails) {
  const auto hash = hash_password("correct horse", test_cost);
  ASSERT_TRUE(hash.has_value());
  EXPECT_FALSE(verify_password("correct horsf", *hash));
  EXPECT_FALSE(verify_password("correct horse ", *hash));
  EXPECT_FALSE(verify_password("", *hash));
}

TEST(Password, SaltsDiffer) {
  const auto first = hash_password("same", test_cost);
  const auto second = hash_password("same", test_cost);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(*first, *second);
}

TEST(Password, DefaultCostIsTwelve) { EXPECT_EQ(default_bcrypt_cost, 12); }

TEST(Password, VerifiesPublished2aVectors) {
  // Test vectors published with jBCrypt, in the $2a$ variant that Go's
  // bcrypt package also writes.
  EXPECT_TRUE(verify_password(
      "abc", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"));
  EXPECT_TRUE(verify_password(
      "abcdefghijklmnopqrstuvwxyz",
      "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC"));
  EXPECT_FALSE(verify_password(
      "abd", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"));
}

TEST(Password, RejectsTooLongPassword) {
  const std::string limit(max_password_bytes, 'a');
  const std::string too_long(max_password_bytes + 1, 'a');
  std::string error;
  EXPECT_TRUE(hash_password(limit, test_cost, &error).has_value());
  EXPECT_FALSE(hash_password(too_long, test_cost, &error).has_value());
  EXPECT_NE(error.find("72 bytes"), std::string::npos) << error;
}

TEST(Password, TooLongNeverMatchesItsPrefix) {
  const std::string limit(max_password_bytes, 'a');
  const auto hash = hash_password(limit, test_cost);
  ASSERT_TRUE(hash.has_value());
  EXPECT_FALSE(verify_password(limit + "b", *hash));
}

TEST(Password, RejectsEmptyAndNulPasswords) {
  std::string error;
  EXPECT_FALSE(hash_password("", test_cost, &error).has_value());
  EXPECT_NE(error.find("empty"), std::string::npos) << error;
  EXPECT_FALSE(
      hash_password(std::string("ab\0cd", 5), test_cost, &error).has_value());
  EXPECT_NE(error.find("NUL"), std::string::npos) << error;
}

TEST(Password, NulPasswordDoesNotMatchPrefix) {
  const auto hash = hash_password("ab", test_cost);
  ASSERT_TRUE(hash.has_value());
  EXPECT_FALSE(verify_password(std::string("ab\0cd", 5), *hash));
}

TEST(Password, RejectsCostOutOfRange) {
  std::string error;
  EXPECT_FALSE(hash_password("secret", 3, &error).has_value());
  EXPECT_NE(error.find("cost 3"), std::string::npos) << error;
  EXPECT_FALSE(hash_password("secret", 32, &error).has_value());
}

TEST(Password, RecognizesBcryptHashes) {
  const std::string valid =
      "$2b$12$Lfx1IcFucvKvGn6FiAHqvubOXL4hsAvP8/l.0jadNbL5X0HfxBmGm";
  EXPECT_TRUE(is_bcrypt_hash(valid));
  EXPECT_EQ(bcrypt_cost(valid), 12);
  EXPECT_TRUE(is_bcrypt_hash("$2a$" + valid.substr(4)));
  EXPECT_TRUE(is_bcrypt_hash("$2y$" + valid.substr(4)));
  EXPECT_FALSE(is_bcrypt_hash("$2x$" + valid.substr(4)));
  EXPECT_FALSE(is_bcrypt_hash("$1$" + valid.substr(3)));
  EXPECT_FALSE(is_bcrypt_hash("$2b$03" + valid.substr(6)));
  EXPECT_FALSE(is_bcrypt_hash("$2b$32" + valid.substr(6)));
  EXPECT_FALSE(is_bcrypt_hash(valid.substr(0, 59)));
  EXPECT_FALSE(is_bcrypt_hash(valid + "x"));
  EXPECT_FALSE(is_bcrypt_hash(valid.substr(0, 59) + "!"));
  EXPECT_FALSE(is_bcrypt_hash("plaintext"));
  EXPECT_EQ(bcrypt_cost("plain"), -1);
}

TEST(Password, VerifyRejectsNonBcryptHash) {
  const auto before = bcrypt_run_count();
  EXPECT_FALSE(verify_password("secret", "secret"));
  EXPECT_FALSE(verify_password("x", "$1$abc$def"));
  EXPECT_EQ(bcrypt_run_count(), before);
}

}  // namespace
}  // namespace gateway::auth

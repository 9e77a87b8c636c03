#include "gateway/auth/hash_password_command.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "gateway/auth/password.hpp"

namespace gateway::auth {
namespace {

struct command_result {
  int status;
  std::string out;
  std::string err;
};

command_result run(const std::string& input) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  const int status = run_hash_password(in, out, err);
  return {status, out.str(), err.str()};
}

// These hash at the default cost 12, so they are slower than the others.
TEST(HashPasswordCommand, PrintsVerifiableHash) {
  const auto result = run("correct horse\n");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(result.err.empty());
  ASSERT_FALSE(result.out.empty());
  EXPECT_EQ(result.out.back(), '\n');
  const std::string hash = result.out.substr(0, result.out.size() - 1);
  EXPECT_TRUE(is_bcrypt_hash(hash));
  EXPECT_EQ(bcrypt_cost(hash), default_bcrypt_cost);
  EXPECT_TRUE(verify_password("correct horse", hash));
  EXPECT_FALSE(verify_password("correct horse\n", hash));
}

TEST(HashPasswordCommand, StripsCarriageReturn) {
  const auto result = run("pw\r\n");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(verify_password("pw", result.out.substr(0, 60)));
}

TEST(HashPasswordCommand, ReadsOnlyFirstLineWithoutNewline) {
  const auto result = run("first\nsecond\n");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_TRUE(verify_password("first", result.out.substr(0, 60)));

  const auto unterminated = run("last");
  ASSERT_EQ(unterminated.status, 0) << unterminated.err;
  EXPECT_TRUE(verify_password("last", unterminated.out.substr(0, 60)));
}

TEST(HashPasswordCommand, RejectsEmptyPassword) {
  const auto result = run("\n");
  EXPECT_EQ(result.status, 1);
  EXPECT_TRUE(result.out.empty());
  EXPECT_NE(result.err.find("empty"), std::string::npos) << result.err;
}

TEST(HashPasswordCommand, RejectsNoInput) {
  const auto result = run("");
  EXPECT_EQ(result.status, 1);
  EXPECT_TRUE(result.out.empty());
  EXPECT_NE(result.err.find("no password"), std::string::npos) << result.err;
}

TEST(HashPasswordCommand, RejectsTooLongWithoutEcho) {
  const std::string password(73, 'p');
  const auto result = run(password + "\n");
  EXPECT_EQ(result.status, 1);
  EXPECT_TRUE(result.out.empty());
  EXPECT_NE(result.err.find("72 bytes"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(password), std::string::npos);
}

}  // namespace
}  // namespace gateway::auth

#include "gateway/auth/secret_file.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/auth/temp_dir.hpp"

namespace gateway::auth {
namespace {

mode_t mode_of(const std::filesystem::path& path) {
  struct stat status {};
  EXPECT_EQ(::stat(path.c_str(), &status), 0);
  return status.st_mode & 07777;
}

TEST(SecretFile, CreatesWithMode0600) {
  testing::temp_dir dir;
  const auto path = dir.path() / "token.key";
  std::string error;
  const auto secret = load_or_create_secret(path, &error);
  ASSERT_TRUE(secret.has_value()) << error;
  EXPECT_TRUE(secret->created);
  EXPECT_EQ(secret->bytes.size(), 32u);
  EXPECT_TRUE(secret->warning.empty()) << secret->warning;
  EXPECT_EQ(mode_of(path), 0600u);

  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str().size(), 65u);  // 64 hex digits and a newline
}

TEST(SecretFile, ReloadReturnsSameSecret) {
  testing::temp_dir dir;
  const auto path = dir.path() / "token.key";
  std::string error;
  const auto first = load_or_create_secret(path, &error);
  ASSERT_TRUE(first.has_value()) << error;
  const auto second = load_or_create_secret(path, &error);
  ASSERT_TRUE(second.has_value()) << error;
  EXPECT_FALSE(second->created);
  EXPECT_EQ(first->bytes, second->bytes);
}

TEST(SecretFile, ReadsOpensslRandHex) {
  testing::temp_dir dir;
  const std::string hex(64, 'a');
  const auto path = dir.write("token.key", "  " + hex + "\n\n");
  ::chmod(path.c_str(), 0600);
  std::string error;
  const auto secret = load_or_create_secret(path, &error);
  ASSERT_TRUE(secret.has_value()) << error;
  EXPECT_EQ(secret->bytes, std::string(32, '\xaa'));
  EXPECT_TRUE(secret->warning.empty());
}

TEST(SecretFile, WarnsWhenOthersCanRead) {
  testing::temp_dir dir;
  const auto path = dir.write("token.key", std::string(64, 'b'));
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  std::string error;
  const auto secret = load_or_create_secret(path, &error);
  ASSERT_TRUE(secret.has_value()) << error;
  EXPECT_NE(secret->warning.find("mode 0644"), std::string::npos)
      << secret->warning;
  EXPECT_NE(secret->warning.find("chmod 600"), std::string::npos);
  EXPECT_EQ(secret->warning.find(std::string(64, 'b')), std::string::npos);
}

TEST(SecretFile, WarnsWhenGroupCanRead) {
  testing::temp_dir dir;
  const auto path = dir.write("token.key", std::string(64, 'b'));
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  std::string error;
  const auto secret = load_or_create_secret(path, &error);
  ASSERT_TRUE(secret.has_value()) << error;
  EXPECT_FALSE(secret->warning.empty());
}

TEST(SecretFile, RejectsShortSecret) {
  testing::temp_dir dir;
  const auto path = dir.write("token.key", std::string(62, 'c'));
  std::string error;
  EXPECT_FALSE(load_or_create_secret(path, &error).has_value());
  EXPECT_NE(error.find("at least 64 hex digits"), std::string::npos) << error;
  EXPECT_EQ(error.find(std::string(62, 'c')), std::string::npos);
}

TEST(SecretFile, RejectsNonHex) {
  testing::temp_dir dir;
  const auto path = dir.write("token.key", std::string(64, 'z'));
  std::string error;
  EXPECT_FALSE(load_or_create_secret(path, &error).has_value());
  EXPECT_NE(error.find("hex"), std::string::npos) << error;
}

TEST(SecretFile, RejectsDirectory) {
  testing::temp_dir dir;
  std::string error;
  EXPECT_FALSE(load_or_create_secret(dir.path(), &error).has_value());
  EXPECT_NE(error.find("regular file"), std::string::npos) << error;
}

TEST(SecretFile, FailsWhenParentMissing) {
  testing::temp_dir dir;
  std::string error;
  EXPECT_FALSE(
      load_or_create_secret(dir.path() / "absent" / "token.key", &error)
          .has_value());
  EXPECT_NE(error.find("creating it failed"), std::string::npos) << error;
}

}  // namespace
}  // namespace gateway::auth

#include "gateway/auth/user_directory.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/auth/temp_dir.hpp"

namespace gateway::auth {
namespace {

const std::string hash_a =
    "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";
const std::string hash_b =
    "$2b$12$Lfx1IcFucvKvGn6FiAHqvubOXL4hsAvP8/l.0jadNbL5X0HfxBmGm";

std::string parse_error(const std::string& text) {
  std::string error;
  const auto directory = user_directory::parse(text, &error);
  EXPECT_FALSE(directory.has_value()) << text;
  return error;
}

TEST(UserDirectory, ParsesChoriaUsersFile) {
  const std::string text = R"([
    {"username": "alice", "password": ")" +
                           hash_a + R"(",
     "acls": ["rpcutil.*", "puppet.status"], "roles": ["operator"],
     "properties": {"group": "ops"}},
    {"username": "bob", "password": ")" +
                           hash_b + R"(", "acls": ["*"],
     "opa_policy": "package io.choria.aaasvc"}
  ])";
  std::string error;
  const auto directory = user_directory::parse(text, &error);
  ASSERT_TRUE(directory.has_value()) << error;
  ASSERT_EQ(directory->users().size(), 2u);

  const user* alice = directory->find("alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->username, "alice");
  EXPECT_EQ(alice->password_hash, hash_a);
  ASSERT_EQ(alice->acls.size(), 2u);
  EXPECT_EQ(alice->acls[0].text(), "rpcutil.*");
  EXPECT_EQ(alice->acls[1].text(), "puppet.status");
  ASSERT_EQ(alice->roles.size(), 1u);
  EXPECT_EQ(alice->roles[0], "operator");

  const user* bob = directory->find("bob");
  ASSERT_NE(bob, nullptr);
  EXPECT_TRUE(bob->roles.empty());
  ASSERT_EQ(bob->acls.size(), 1u);
}

TEST(UserDirectory, FindIsExactAndCaseSensitive) {
  std::string error;
  const auto directory = user_directory::parse(
      R"([{"username": "alice", "password": ")" + hash_a + R"("}])", &error);
  ASSERT_TRUE(directory.has_value()) << error;
  EXPECT_NE(directory->find("alice"), nullptr);
  EXPECT_EQ(directory->find("Alice"), nullptr);
  EXPECT_EQ(directory->find("alic"), nullptr);
  EXPECT_EQ(directory->find(""), nullptr);
}

TEST(UserDirectory, AclsAndRolesAreOptional) {
  std::string error;
  const auto directory = user_directory::parse(
      R"([{"username": "carol", "password": ")" + hash_a + R"("}])", &error);
  ASSERT_TRUE(directory.has_value()) << error;
  const user* carol = directory->find("carol");
  ASSERT_NE(carol, nullptr);
  EXPECT_TRUE(carol->acls.empty());
  EXPECT_TRUE(carol->roles.empty());
}

TEST(UserDirectory, EmptyArrayIsValid) {
  std::string error;
  const auto directory = user_directory::parse("[]", &error);
  ASSERT_TRUE(directory.has_value()) << error;
  EXPECT_TRUE(directory->users().empty());
}

TEST(UserDirectory, RejectsInvalidJson) {
  EXPECT_EQ(parse_error("[{"), "users file: invalid JSON");
}

TEST(UserDirectory, RejectsNonArrayDocument) {
  const auto error = parse_error(R"({"username": "alice"})");
  EXPECT_NE(error.find("JSON array"), std::string::npos) << error;
}

TEST(UserDirectory, RejectsNonObjectEntry) {
  const auto error = parse_error(R"(["alice"])");
  EXPECT_EQ(error, "users file: entry 0: must be an object");
}

TEST(UserDirectory, RejectsMissingUsername) {
  const auto error = parse_error(R"([{"password": ")" + hash_a + R"("}])");
  EXPECT_EQ(error, "users file: entry 0: \"username\" is missing");
}

TEST(UserDirectory, RejectsInvalidUsername) {
  for (const char* name : {R"("")", "42", R"("al ice")", R"("a=b")"}) {
    const auto error = parse_error(std::string(R"([{"username": )") + name +
                                   R"(, "password": ")" + hash_a + R"("}])");
    EXPECT_NE(error.find("entry 0"), std::string::npos) << error;
    EXPECT_NE(error.find("\"username\" must be"), std::string::npos) << error;
  }
}

TEST(UserDirectory, RejectsMissingPassword) {
  const auto error = parse_error(R"([{"username": "alice"}])");
  EXPECT_EQ(error,
            "users file: entry 0 (username \"alice\"): \"password\" is "
            "missing");
}

TEST(UserDirectory, RejectsNonBcryptPassword) {
  for (const char* password :
       {R"("hunter2")", R"("$1$abc$def")", "12", R"("$2b$12$short")"}) {
    const auto error =
        parse_error(std::string(R"([{"username": "alice", "password": )") +
                    password + "}]");
    EXPECT_NE(error.find("entry 0 (username \"alice\")"), std::string::npos)
        << error;
    EXPECT_NE(error.find("\"password\" is not a bcrypt hash"),
              std::string::npos)
        << error;
    EXPECT_EQ(error.find("hunter2"), std::string::npos) << error;
  }
}

TEST(UserDirectory, RejectsDuplicateUsername) {
  const auto error =
      parse_error(R"([{"username": "alice", "password": ")" + hash_a + R"("},
          {"username": "bob", "password": ")" +
                  hash_a + R"("},
          {"username": "alice", "password": ")" +
                  hash_b + R"("}])");
  EXPECT_EQ(error,
            "users file: entry 2 (username \"alice\"): \"username\" "
            "duplicates entry 0");
}

TEST(UserDirectory, RejectsInvalidAcl) {
  const auto error =
      parse_error(R"([{"username": "alice", "password": ")" + hash_a +
                  R"(", "acls": ["rpcutil.*", "Puppet.status"]}])");
  EXPECT_NE(error.find("entry 0 (username \"alice\")"), std::string::npos)
      << error;
  EXPECT_NE(error.find("\"Puppet.status\""), std::string::npos) << error;
}

TEST(UserDirectory, RejectsNonArrayAcls) {
  const auto error = parse_error(R"([{"username": "alice", "password": ")" +
                                 hash_a + R"(", "acls": "*"}])");
  EXPECT_NE(error.find("\"acls\" must be an array"), std::string::npos)
      << error;
}

TEST(UserDirectory, RejectsNonStringAcl) {
  const auto error = parse_error(R"([{"username": "alice", "password": ")" +
                                 hash_a + R"(", "acls": [7]}])");
  EXPECT_NE(error.find("invalid pattern 7"), std::string::npos) << error;
}

TEST(UserDirectory, RejectsInvalidRoles) {
  for (const char* roles : {R"("admin")", "[1]", R"([""])"}) {
    const auto error = parse_error(R"([{"username": "alice", "password": ")" +
                                   hash_a + R"(", "roles": )" + roles + "}]");
    EXPECT_NE(error.find("\"roles\" must be"), std::string::npos) << error;
  }
}

TEST(UserDirectory, ErrorNamesLaterEntryIndex) {
  const auto error = parse_error(R"([{"username": "alice", "password": ")" +
                                 hash_a + R"("}, {"username": "bob"}])");
  EXPECT_NE(error.find("entry 1 (username \"bob\")"), std::string::npos)
      << error;
}

TEST(UserDirectory, LoadsFile) {
  testing::temp_dir dir;
  const auto path =
      dir.write("users.json",
                R"([{"username": "alice", "password": ")" + hash_a + R"("}])");
  std::string error;
  const auto directory = user_directory::load(path, &error);
  ASSERT_TRUE(directory.has_value()) << error;
  EXPECT_NE(directory->find("alice"), nullptr);
}

TEST(UserDirectory, LoadErrorNamesFile) {
  testing::temp_dir dir;
  const auto path = dir.write("users.json", R"([{"username": "alice"}])");
  std::string error;
  EXPECT_FALSE(user_directory::load(path, &error).has_value());
  EXPECT_EQ(error, "users file " + path.string() +
                       ": entry 0 (username \"alice\"): \"password\" is "
                       "missing");
}

TEST(UserDirectory, LoadMissingFileFails) {
  testing::temp_dir dir;
  std::string error;
  EXPECT_FALSE(
      user_directory::load(dir.path() / "absent.json", &error).has_value());
  EXPECT_NE(error.find("absent.json"), std::string::npos) << error;
}

}  // namespace
}  // namespace gateway::auth

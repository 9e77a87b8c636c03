#include "gateway/client/credentials.hpp"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace gateway::client {
namespace {

class Credentials : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/choria-gw-test.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    folder_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::string folder_;
};

TEST_F(Credentials, SavedFileIsPrivateAndReadsBack) {
  std::string path = folder_ + "/config/choria-gw/credentials.json";
  credentials value{.url = "https://gw.example.net:8443",
                    .username = "alice",
                    .token = "eyJ.secret.token",
                    .expires_at = 1796404467,
                    .ca_file = "/etc/ssl/ca.pem"};
  std::string error;
  ASSERT_TRUE(save_credentials(path, value, &error)) << error;

  struct stat file_status {};
  ASSERT_EQ(::stat(path.c_str(), &file_status), 0);
  EXPECT_EQ(file_status.st_mode & 0777, 0600u);
  auto loaded = load_credentials(path, &error);
  ASSERT_TRUE(loaded) << error;
  EXPECT_EQ(loaded->url, value.url);
  EXPECT_EQ(loaded->username, value.username);
  EXPECT_EQ(loaded->token, value.token);
  EXPECT_EQ(loaded->expires_at, value.expires_at);
  EXPECT_EQ(loaded->ca_file, value.ca_file);
}

TEST_F(Credentials, OverwriteKeepsModeOfNewFile) {
  std::string path = folder_ + "/credentials.json";
  std::ofstream(path) << "{}";
  ::chmod(path.c_str(), 0644);
  std::string error;
  ASSERT_TRUE(save_credentials(path, credentials{.url = "http://x"}, &error))
      << error;
  struct stat file_status {};
  ASSERT_EQ(::stat(path.c_str(), &file_status), 0);
  EXPECT_EQ(file_status.st_mode & 0777, 0600u);
}

TEST_F(Credentials, MissingFileIsNoError) {
  std::string error = "stale";
  EXPECT_FALSE(load_credentials(folder_ + "/none.json", &error));
  EXPECT_TRUE(error.empty()) << error;
}

TEST_F(Credentials, CorruptFileSaysWhatToDo) {
  std::string path = folder_ + "/credentials.json";
  std::ofstream(path) << "not json";
  std::string error;
  EXPECT_FALSE(load_credentials(path, &error));
  EXPECT_NE(error.find("log in again"), std::string::npos) << error;
}

TEST(CredentialsPath, FollowsXdgConfigHome) {
  std::string saved_xdg = std::getenv("XDG_CONFIG_HOME") != nullptr
                              ? std::getenv("XDG_CONFIG_HOME")
                              : "";
  ::setenv("XDG_CONFIG_HOME", "/srv/config", 1);
  EXPECT_EQ(credentials_path(), "/srv/config/choria-gw/credentials.json");
  ::setenv("XDG_CONFIG_HOME", "relative", 1);
  ::setenv("HOME", "/home/alice", 1);
  EXPECT_EQ(credentials_path(),
            "/home/alice/.config/choria-gw/credentials.json");
  if (saved_xdg.empty()) {
    ::unsetenv("XDG_CONFIG_HOME");
  } else {
    ::setenv("XDG_CONFIG_HOME", saved_xdg.c_str(), 1);
  }
}

}  // namespace
}  // namespace gateway::client

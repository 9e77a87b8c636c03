#include "gateway/ddl/ddl_registry.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/ddl/ddl_files.hpp"

namespace gateway::ddl {
namespace {

namespace fs = std::filesystem;

// A fresh temporary directory, removed with its contents at the end.
class temporary_directory {
 public:
  temporary_directory() {
    std::string pattern =
        (fs::temp_directory_path() / "ddl_test_XXXXXX").string();
    char* created = mkdtemp(pattern.data());
    EXPECT_NE(created, nullptr);
    path_ = pattern;
  }
  ~temporary_directory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
  }

 private:
  fs::path path_;
};

TEST(DdlRegistry, LoadsRealDdls) {
  std::string error;
  auto registry =
      ddl_registry::load_directory(testing::real_ddl_directory(), &error);
  ASSERT_TRUE(registry) << error;
  EXPECT_EQ(registry->size(), 2u);
  ASSERT_NE(registry->find("rpcutil"), nullptr);
  EXPECT_TRUE(registry->find("rpcutil")->actions.contains("ping"));
  ASSERT_NE(registry->find("package"), nullptr);
  EXPECT_EQ(registry->find("nosuchagent"), nullptr);
}

TEST(DdlRegistry, EmptyDirectoryLoadsNoAgents) {
  temporary_directory directory;
  std::string error;
  auto registry = ddl_registry::load_directory(directory.path(), &error);
  ASSERT_TRUE(registry) << error;
  EXPECT_EQ(registry->size(), 0u);
}

TEST(DdlRegistry, BrokenFileFailsNamingIt) {
  temporary_directory directory;
  directory.write(
      "rpcutil.json",
      testing::read_text(testing::real_ddl_directory() + "/rpcutil.json"));
  directory.write("broken.json", R"({"metadata": {"name": "broken"}, )");

  std::string error;
  auto registry = ddl_registry::load_directory(directory.path(), &error);
  EXPECT_FALSE(registry.has_value());
  EXPECT_NE(error.find("broken.json"), std::string::npos) << error;
}

TEST(DdlRegistry, InvalidRegexFailsNamingFile) {
  temporary_directory directory;
  directory.write("bad_regex.json", R"({
    "metadata": {"name": "demo", "timeout": 5},
    "actions": [{"action": "run", "input": {"value": {
      "type": "string", "optional": false, "validation": "([a-z",
      "maxlength": 10}}, "output": {}}]})");

  std::string error;
  EXPECT_FALSE(ddl_registry::load_directory(directory.path(), &error));
  EXPECT_NE(error.find("bad_regex.json"), std::string::npos) << error;
  EXPECT_NE(error.find("not a valid regex"), std::string::npos) << error;
}

TEST(DdlRegistry, IgnoresOtherFiles) {
  temporary_directory directory;
  directory.write("README.md", "not a DDL");
  directory.write("rpcutil.ddl", "metadata :name => \"rpcutil\"");
  fs::create_directory(directory.path() / "nested.json");

  std::string error;
  auto registry = ddl_registry::load_directory(directory.path(), &error);
  ASSERT_TRUE(registry) << error;
  EXPECT_EQ(registry->size(), 0u);
}

TEST(DdlRegistry, DuplicateAgentFails) {
  temporary_directory directory;
  std::string text =
      testing::read_text(testing::real_ddl_directory() + "/rpcutil.json");
  directory.write("a.json", text);
  directory.write("b.json", text);

  std::string error;
  EXPECT_FALSE(ddl_registry::load_directory(directory.path(), &error));
  EXPECT_NE(error.find("b.json"), std::string::npos) << error;
  EXPECT_NE(error.find("already declared"), std::string::npos) << error;
}

TEST(DdlRegistry, MissingDirectoryFails) {
  std::string error;
  EXPECT_FALSE(
      ddl_registry::load_directory("/nonexistent/ddl/directory", &error));
  EXPECT_NE(error.find("/nonexistent/ddl/directory"), std::string::npos)
      << error;
}

}  // namespace
}  // namespace gateway::ddl

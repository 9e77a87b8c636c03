// Paths and loaders for the real Choria DDLs the ddl tests use.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "gateway/ddl/agent_ddl.hpp"

namespace gateway::ddl::testing {

inline std::string real_ddl_directory() {
  return std::string(GATEWAY_SHARED_DIR) + "/choria/ddl";
}

inline std::string read_text(const std::string& path) {
  std::ifstream stream(path);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

// Parses a DDL from the shared folder; fails the test when it does not.
inline agent_ddl load_real_ddl(const std::string& file) {
  std::string error;
  auto agent =
      parse_agent_ddl(read_text(real_ddl_directory() + "/" + file), &error);
  EXPECT_TRUE(agent.has_value()) << file << ": " << error;
  return agent.value_or(agent_ddl{});
}

}  // namespace gateway::ddl::testing

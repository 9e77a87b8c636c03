// choria-gw --help of every command: each positional and option has a
// description, and the options that each command takes are all listed.
#include <map>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "client_process.hpp"

namespace gateway::client_test {
namespace {

client_run help_of(const std::string& command) {
  client_call call;
  if (!command.empty()) call.arguments.push_back(command);
  call.arguments.push_back("--help");
  return run_client(call);
}

// The entries of the Positionals: and Options: sections that have no
// description, either after the name or on the next line.
std::vector<std::string> undescribed_entries(const std::string& help) {
  static const std::regex entry(R"(^  (\S.*?)(\s{2,}\S.*)?$)");
  static const std::regex continuation(R"(^\s{20,}\S)");
  std::vector<std::string> lines;
  std::istringstream input(help);
  for (std::string line; std::getline(input, line);) lines.push_back(line);

  std::vector<std::string> missing;
  bool in_section = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line == "Options:" || line == "Positionals:" ||
        line == "Subcommands:") {
      in_section = true;
      continue;
    }
    if (line.empty()) in_section = false;
    if (!in_section || std::regex_search(line, continuation)) continue;
    std::smatch parts;
    if (!std::regex_match(line, parts, entry)) continue;
    bool described =
        parts[2].matched ||
        (i + 1 < lines.size() && std::regex_search(lines[i + 1], continuation));
    if (!described) missing.push_back(parts[1]);
  }
  return missing;
}

TEST(ClientHelp, EveryEntryHasDescription) {
  for (const char* command : {"", "login", "logout", "req", "status", "results",
                              "watch", "history", "replay"}) {
    auto result = help_of(command);
    EXPECT_EQ(result.exit_status, 0) << command << ": " << result.err;
    EXPECT_EQ(undescribed_entries(result.out), std::vector<std::string>{})
        << "choria-gw " << command << " --help:\n"
        << result.out;
  }
}

TEST(ClientHelp, CommandsListTheirOptions) {
  const std::map<std::string, std::vector<std::string>> options = {
      {"login", {"--username", "--url", "--ca", "--http-timeout", "--json"}},
      {"logout", {"--url", "--ca", "--http-timeout", "--json"}},
      {"req",
       {"agent",
        "action",
        "inputs",
        "--identity",
        "--class",
        "--fact",
        "--agent",
        "--nodes",
        "--collective",
        "--timeout",
        "--discovery-timeout",
        "--ttl",
        "--broadcast",
        "--batch",
        "--batch-sleep",
        "--wait",
        "--no-wait",
        "--no-progress",
        "--idempotency-key",
        "--json"}},
      {"status", {"request_id", "--json"}},
      {"results", {"request_id", "--page-size", "--json"}},
      {"watch", {"request_id", "--json"}},
      {"history",
       {"--agent", "--action", "--caller", "--state", "--since", "--until",
        "--limit", "--json"}},
      {"replay",
       {"request_id", "--failed", "--no-response", "--no-wait", "--no-progress",
        "--idempotency-key", "--json"}}};
  for (const auto& [command, names] : options) {
    auto result = help_of(command);
    for (const auto& name : names)
      EXPECT_NE(result.out.find(name), std::string::npos)
          << "choria-gw " << command << " --help does not list " << name;
    EXPECT_NE(result.out.find("Exit status: 0 success"), std::string::npos)
        << "choria-gw " << command << " --help has no exit statuses";
  }
}

TEST(ClientHelp, ExclusiveReplayTargetsAreRejected) {
  client_call call;
  call.arguments = {"replay", std::string(32, 'a'), "--failed",
                    "--no-response"};
  auto result = run_client(call);
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.err.find("--no-response"), std::string::npos) << result.err;
}

TEST(ClientHelp, InvalidHistoryLimitIsNamed) {
  for (const char* limit : {"-1", "abc", "1.5", "99999999999"}) {
    client_call call;
    call.arguments = {"history", "-n", limit};
    auto result = run_client(call);
    EXPECT_EQ(result.exit_status, 2) << limit;
    EXPECT_NE(result.err.find("--limit"), std::string::npos)
        << limit << ": " << result.err;
    EXPECT_NE(result.err.find("0 (list every request) or a positive whole "
                              "number"),
              std::string::npos)
        << limit << ": " << result.err;
    EXPECT_NE(result.err.find(std::string("not ") + limit), std::string::npos)
        << limit << ": " << result.err;
  }
}

}  // namespace
}  // namespace gateway::client_test

// `choria-rest-gateway backup` and `export` beside a running gateway: the
// backup opens as an event store holding the request, and the export
// lists the events as JSON lines.
#include <sys/wait.h>

#include <sstream>

#include <gtest/gtest.h>

#include "gateway/storage/event_store.hpp"
#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

class BackupExport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 5;
    stack_ = new gateway_stack(options);
    started_ = stack_->start(&start_error_);
    if (!started_) return;
    token_ = new std::string(stack_->login_admin());
    request_id_ = new std::string(stack_->submit_accepted(
        *token_, {{"agent", "rpcutil"}, {"action", "ping"}}));
  }
  static void TearDownTestSuite() {
    delete stack_;
    delete token_;
    delete request_id_;
    stack_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(started_) << start_error_;
    ASSERT_FALSE(request_id_->empty());
    json status = stack_->await_finished(*token_, *request_id_, 30s);
    ASSERT_EQ(status["state"], "complete") << status;
  }

  // Runs the gateway program with arguments and -c, returning the exit
  // status; its output goes to output_path.
  static int run_gateway(std::vector<std::string> arguments,
                         const std::string& output_path) {
    arguments.push_back("-c");
    arguments.push_back(stack_->setup_file("gateway.conf"));
    child_process command(GATEWAY_PATH, arguments, output_path);
    int status = command.wait_exit(60s);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  static std::string* token_;
  static std::string* request_id_;
  temp_dir folder_;
};

gateway_stack* BackupExport::stack_ = nullptr;
bool BackupExport::started_ = false;
std::string BackupExport::start_error_;
std::string* BackupExport::token_ = nullptr;
std::string* BackupExport::request_id_ = nullptr;

TEST_F(BackupExport, BackupOfRunningGatewayRestores) {
  std::string backup_dir = folder_.file("backups/one");
  std::string output = folder_.file("backup.txt");
  ASSERT_EQ(run_gateway({"backup", "--to", backup_dir}, output), 0)
      << read_text(output);
  EXPECT_NE(read_text(output).find("up to sequence"), std::string::npos)
      << read_text(output);

  // Restoring is opening the folder as the data directory.
  std::string error;
  auto restored = storage::event_store::open(backup_dir, {}, &error);
  ASSERT_NE(restored, nullptr) << error;
  auto status = restored->request_status(*request_id_);
  ASSERT_TRUE(status.has_value());
  auto live = stack_->status(*token_, *request_id_).json();
  EXPECT_EQ(*status, live);
  auto page = restored->replies(*request_id_, "", 100, &error);
  ASSERT_TRUE(page.has_value()) << error;
  EXPECT_EQ(page->replies.size(), 5u);

  // The gateway kept running and writing.
  auto again = stack_->submit_accepted(
      *token_, {{"agent", "rpcutil"},
                {"action", "ping"},
                {"nodes", {gateway_stack::node_name(1)}}});
  EXPECT_FALSE(again.empty());
}

TEST_F(BackupExport, BackupIntoExistingFolderFails) {
  std::string output = folder_.file("backup.txt");
  EXPECT_EQ(run_gateway({"backup", "--to", folder_.path()}, output), 1);
  EXPECT_NE(read_text(output).find("already exists"), std::string::npos)
      << read_text(output);
}

std::vector<json> parse_lines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream input(text);
  for (std::string line; std::getline(input, line);)
    lines.push_back(json::parse(line, nullptr, false));
  return lines;
}

TEST_F(BackupExport, ExportWritesEventsAsJsonLines) {
  std::string output = folder_.file("export.jsonl");
  ASSERT_EQ(run_gateway({"export"}, output), 0) << read_text(output);
  auto events = parse_lines(read_text(output));
  ASSERT_FALSE(events.empty());

  int replies = 0;
  bool accepted = false;
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_TRUE(events[i].is_object()) << "line " << i + 1;
    EXPECT_EQ(events[i]["v"], 1);
    EXPECT_EQ(events[i]["seq"], i + 1) << "sequences start at 1, no gaps";
    if (events[i]["request_id"] != *request_id_) continue;
    if (events[i]["kind"] == "request_accepted") accepted = true;
    if (events[i]["kind"] == "reply_received") ++replies;
  }
  EXPECT_TRUE(accepted);
  EXPECT_EQ(replies, 5);

  std::string tail_output = folder_.file("tail.jsonl");
  ASSERT_EQ(run_gateway({"export", "--since", "3"}, tail_output), 0)
      << read_text(tail_output);
  auto tail = parse_lines(read_text(tail_output));
  ASSERT_FALSE(tail.empty());
  EXPECT_EQ(tail.front()["seq"], 3);
  EXPECT_GE(tail.size() + 2, events.size());
}

}  // namespace
}  // namespace gateway::integration

// The text the client prints: reply blocks, summaries, the progress bar,
// exit statuses and base URLs.
#include <sstream>

#include <gtest/gtest.h>

#include "gateway/client/http_client.hpp"
#include "gateway/client/progress_bar.hpp"
#include "gateway/client/rpc_output.hpp"
#include "gateway/client/session.hpp"

namespace gateway::client {
namespace {

using json = nlohmann::json;

json finished_status() {
  return json::parse(R"({
    "request_id": "0123456789abcdef0123456789abcdef", "state": "expired",
    "created_at": "2026-12-04T15:00:00.000Z",
    "completed_at": "2026-12-04T15:00:02.500Z",
    "expected": 4, "received": 3, "ok": 2, "failed": 1,
    "no_response": ["node-4.example.net"]})");
}

TEST(PrintReply, AlignsDataKeys) {
  std::ostringstream out;
  print_reply(out, json::parse(R"({"sender":"node-1.example.net","statuscode":0,
                  "statusmsg":"OK","data":{"pong":17,"version":"1.2"}})"),
              false);
  EXPECT_EQ(out.str(),
            "node-1.example.net\n"
            "       pong: 17\n"
            "    version: 1.2\n"
            "\n");
}

TEST(PrintReply, ShowsStatusMessageOfFailureInRed) {
  std::ostringstream out;
  print_reply(out, json::parse(R"({"sender":"node-2","statuscode":1,
                  "statusmsg":"Aborted","data":{}})"),
              true);
  EXPECT_NE(out.str().find("\x1b[31mnode-2 "), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("Aborted\x1b[0m"), std::string::npos) << out.str();
}

TEST(PrintSummary, CountsOkFailedAndSilent) {
  std::ostringstream out;
  print_summary(out, finished_status(), false);
  EXPECT_EQ(out.str(),
            "Finished processing 3 / 4 hosts in 2.50 s: 2 ok, 1 failed, "
            "1 silent\n");
}

TEST(PrintSummary, ExplainsFailedAndEmptyRequests) {
  std::ostringstream failed;
  print_summary(failed, {{"state", "failed"}, {"reason", "broker unavailable"}},
                false);
  EXPECT_EQ(failed.str(), "The request failed: broker unavailable\n");
  std::ostringstream empty;
  print_summary(empty, {{"state", "complete"}, {"expected", 0}}, false);
  EXPECT_NE(empty.str().find("no node matched"), std::string::npos);
}

TEST(PrintNoResponse, ListsSilentNodes) {
  std::ostringstream out;
  print_no_response(out, finished_status(), false);
  EXPECT_EQ(out.str(), "No response from:\n\n    node-4.example.net\n\n");
}

TEST(OutcomeExitStatus, TellsSuccessPartialAndError) {
  EXPECT_EQ(outcome_exit_status(finished_status()), exit_partial);
  EXPECT_EQ(outcome_exit_status({{"state", "complete"},
                                 {"expected", 2},
                                 {"ok", 2},
                                 {"failed", 0},
                                 {"no_response", json::array()}}),
            exit_success);
  EXPECT_EQ(outcome_exit_status({{"state", "complete"}, {"expected", 0}}),
            exit_partial);
  EXPECT_EQ(outcome_exit_status({{"state", "failed"}}), exit_error);
}

TEST(ParseUtcMs, ReadsFractionsAndRejectsOffsets) {
  EXPECT_EQ(parse_utc_ms("1970-01-01T00:00:01.250Z"), 1250);
  EXPECT_EQ(parse_utc_ms("2026-12-04T15:00:00Z"), 1796396400000);
  EXPECT_FALSE(parse_utc_ms("2026-12-04T15:00:00+01:00"));
  EXPECT_FALSE(parse_utc_ms("yesterday"));
}

TEST(ProgressBar, FillsInProportion) {
  json status = {{"state", "running"}, {"expected", 50}, {"received", 25}};
  auto line = progress_bar::render(status, 40);
  EXPECT_EQ(line.size(), 39u) << line;
  EXPECT_EQ(line.substr(0, 5), " * [ ");
  EXPECT_NE(line.find("=======>"), std::string::npos) << line;
  EXPECT_EQ(line.substr(line.size() - 7), "25 / 50") << line;
  EXPECT_EQ(progress_bar::render({{"state", "discovering"}}, 40),
            " * discovering nodes ...");
}

TEST(ProgressBar, FullWhenEveryReplyArrived) {
  json status = {{"state", "complete"}, {"expected", 3}, {"received", 3}};
  auto line = progress_bar::render(status, 30);
  EXPECT_EQ(line.find('>'), std::string::npos) << line;
  EXPECT_EQ(line.find("  "), std::string::npos) << line;
}

TEST(BaseUrl, ParsesSchemesPortsAndPrefixes) {
  std::string error;
  auto plain = parse_base_url("http://127.0.0.1:8080/", &error);
  ASSERT_TRUE(plain) << error;
  EXPECT_FALSE(plain->tls);
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, "8080");
  EXPECT_EQ(plain->text(), "http://127.0.0.1:8080");

  auto secure = parse_base_url("https://gw.example.net/choria/", &error);
  ASSERT_TRUE(secure) << error;
  EXPECT_TRUE(secure->tls);
  EXPECT_EQ(secure->port, "443");
  EXPECT_EQ(secure->path_prefix, "/choria");
  EXPECT_EQ(secure->text(), "https://gw.example.net/choria");

  auto ipv6 = parse_base_url("http://[::1]:9000", &error);
  ASSERT_TRUE(ipv6) << error;
  EXPECT_EQ(ipv6->host, "::1");
  EXPECT_EQ(ipv6->text(), "http://[::1]:9000");
}

TEST(BaseUrl, RejectsWhatIsNotABaseUrl) {
  for (const char* bad :
       {"ftp://x", "gw.example.net", "http://", "http://x:0", "http://x:99999",
        "http://x:8o", "http://x/?a=1", "http://user@x"}) {
    std::string error;
    EXPECT_FALSE(parse_base_url(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(UrlEncode, EscapesReservedCharacters) {
  EXPECT_EQ(url_encode("a b/c+d=e"), "a%20b%2Fc%2Bd%3De");
  EXPECT_EQ(url_encode("AZaz09-._~"), "AZaz09-._~");
}

}  // namespace
}  // namespace gateway::client

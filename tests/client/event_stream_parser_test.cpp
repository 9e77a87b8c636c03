#include "gateway/client/event_stream_parser.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace gateway::client {
namespace {

struct collected {
  std::vector<server_event> events;
  event_stream_parser parser{[this](const server_event& event) {
    events.push_back(event);
    return true;
  }};
};

TEST(EventStreamParser, ReadsNamedEventsWithIds) {
  collected out;
  EXPECT_TRUE(out.parser.feed("event: reply\ndata: {\"a\":1}\nid: 7\n\n"));
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].event, "reply");
  EXPECT_EQ(out.events[0].data, "{\"a\":1}");
  EXPECT_EQ(out.events[0].id, "7");
}

TEST(EventStreamParser, JoinsDataLinesAndDefaultsTheName) {
  collected out;
  EXPECT_TRUE(out.parser.feed("data: one\ndata:two\n\n"));
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].event, "message");
  EXPECT_EQ(out.events[0].data, "one\ntwo");
}

TEST(EventStreamParser, AcceptsPiecesSplitAnywhere) {
  std::string text =
      ": ping\r\n\r\nevent: reply\r\ndata: x\r\nid: 1\r\n\r\n"
      "event: end\ndata: {}\n\n";
  for (std::size_t split = 0; split <= text.size(); ++split) {
    collected out;
    EXPECT_TRUE(out.parser.feed(text.substr(0, split)));
    EXPECT_TRUE(out.parser.feed(text.substr(split)));
    ASSERT_EQ(out.events.size(), 2u) << "split at " << split;
    EXPECT_EQ(out.events[0].event, "reply");
    EXPECT_EQ(out.events[0].data, "x");
    EXPECT_EQ(out.events[1].event, "end");
    // The last event id carries over to events without one.
    EXPECT_EQ(out.events[1].id, "1");
  }
}

TEST(EventStreamParser, SkipsCommentsAndEventsWithoutData) {
  collected out;
  EXPECT_TRUE(out.parser.feed(": keep-alive\n\nevent: empty\n\n"));
  EXPECT_TRUE(out.events.empty());
}

TEST(EventStreamParser, StopsWhenTheHandlerSaysSo) {
  int calls = 0;
  event_stream_parser parser([&](const server_event&) {
    ++calls;
    return false;
  });
  EXPECT_FALSE(parser.feed("data: 1\n\ndata: 2\n\n"));
  EXPECT_FALSE(parser.feed("data: 3\n\n"));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace gateway::client

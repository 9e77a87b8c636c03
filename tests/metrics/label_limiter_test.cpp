#include "gateway/metrics/label_limiter.hpp"

#include <gtest/gtest.h>

namespace gateway::metrics {
namespace {

using pair = std::pair<std::string, std::string>;

TEST(LabelLimiter, KnownPairsKeepNames) {
  label_limiter limiter(0);
  limiter.set_known([](std::string_view agent, std::string_view action) {
    return agent == "rpcutil" && action == "ping";
  });
  EXPECT_EQ(limiter.label("rpcutil", "ping"), pair("rpcutil", "ping"));
  EXPECT_EQ(limiter.label("rpcutil", "inventory"), pair("other", "other"));
}

TEST(LabelLimiter, UnknownPairsUpToCap) {
  label_limiter limiter(2);
  EXPECT_EQ(limiter.label("a", "x"), pair("a", "x"));
  EXPECT_EQ(limiter.label("b", "x"), pair("b", "x"));
  EXPECT_EQ(limiter.label("c", "x"), pair("other", "other"));
  EXPECT_EQ(limiter.label("a", "x"), pair("a", "x"));
}

}  // namespace
}  // namespace gateway::metrics

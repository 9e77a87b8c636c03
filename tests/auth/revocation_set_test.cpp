#include "gateway/auth/revocation_set.hpp"

#include <gtest/gtest.h>

namespace gateway::auth {
namespace {

TEST(RevocationSet, RevokeAndQuery) {
  revocation_set revoked;
  EXPECT_FALSE(revoked.is_revoked("a"));
  revoked.revoke("a", 100);
  EXPECT_TRUE(revoked.is_revoked("a"));
  EXPECT_FALSE(revoked.is_revoked("b"));
  EXPECT_EQ(revoked.size(), 1u);
}

TEST(RevocationSet, PruneRemovesOnlyEarlierExpiries) {
  revocation_set revoked;
  revoked.revoke("old", 100);
  revoked.revoke("edge", 200);
  revoked.revoke("new", 300);
  EXPECT_EQ(revoked.prune(200), 1u);
  EXPECT_FALSE(revoked.is_revoked("old"));
  EXPECT_TRUE(revoked.is_revoked("edge"));
  EXPECT_TRUE(revoked.is_revoked("new"));
}

TEST(RevocationSet, RevokeAgainKeepsLaterExpiry) {
  revocation_set revoked;
  revoked.revoke("a", 300);
  revoked.revoke("a", 100);
  EXPECT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked.prune(200), 0u);
  EXPECT_TRUE(revoked.is_revoked("a"));
}

}  // namespace
}  // namespace gateway::auth

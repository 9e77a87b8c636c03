#include "gateway/choria/security.hpp"

#include <gtest/gtest.h>

namespace gateway::choria {
namespace {

TEST(Certname, FromCallerid) {
  EXPECT_EQ(certname_from_callerid("choria=bob"), "bob");
  EXPECT_EQ(certname_from_callerid("choria=bob.mcollective"),
            "bob.mcollective");
  EXPECT_EQ(certname_from_callerid("cert=web-1_a.example.net"),
            "web-1_a.example.net");
  // The expression is not anchored at the end, as in go-choria.
  EXPECT_EQ(certname_from_callerid("choria=bob smith"), "bob");
}

TEST(Certname, RejectsInvalidCallerid) {
  EXPECT_FALSE(certname_from_callerid(""));
  EXPECT_FALSE(certname_from_callerid("bob"));
  EXPECT_FALSE(certname_from_callerid("choria="));
  EXPECT_FALSE(certname_from_callerid("=bob"));
  EXPECT_FALSE(certname_from_callerid("Choria=bob"));
  EXPECT_FALSE(certname_from_callerid("choria=!bob"));
}

TEST(Patterns, DefaultPrivileged) {
  auto patterns = default_privileged_patterns();
  EXPECT_TRUE(matches_any("1.privileged.mcollective", patterns));
  EXPECT_TRUE(matches_any("gw.privileged.choria", patterns));
  EXPECT_FALSE(matches_any("1.mcollective", patterns));
  EXPECT_FALSE(matches_any("privileged.choria", patterns));
  EXPECT_FALSE(matches_any("gw.privileged.choria.evil", patterns));
}

TEST(Patterns, DefaultAllowed) {
  auto patterns = default_allowed_patterns();
  EXPECT_TRUE(matches_any("bob.mcollective", patterns));
  EXPECT_TRUE(matches_any("bob.choria", patterns));
  EXPECT_FALSE(matches_any("bob.example.net", patterns));
  EXPECT_FALSE(matches_any("bob", patterns));
}

TEST(Patterns, PlainNameMatchesExactly) {
  std::vector<std::string> patterns = {"gw.example.net"};
  EXPECT_TRUE(matches_any("gw.example.net", patterns));
  EXPECT_FALSE(matches_any("gw.example.net.evil", patterns));
  EXPECT_FALSE(matches_any("gwxexample.net", patterns));
}

TEST(Patterns, SlashWrappedIsRegex) {
  std::vector<std::string> patterns = {"/^gw\\d+\\./"};
  EXPECT_TRUE(matches_any("gw12.example.net", patterns));
  EXPECT_FALSE(matches_any("web.gw12.example.net", patterns));
}

TEST(Patterns, InvalidRegexMatchesNothing) {
  EXPECT_FALSE(matches_any("a(b", {"a(b"}));
  EXPECT_TRUE(matches_any("gw.choria", {"a(b", "\\.choria$"}));
  EXPECT_FALSE(matches_any("anything", {}));
}

TEST(Rejections, HaveNames) {
  EXPECT_EQ(to_string(rejection::none), "none");
  EXPECT_EQ(to_string(rejection::malformed), "malformed");
  EXPECT_EQ(to_string(rejection::untrusted_cert), "untrusted_cert");
  EXPECT_EQ(to_string(rejection::callerid_mismatch), "callerid_mismatch");
  EXPECT_EQ(to_string(rejection::not_allowed), "not_allowed");
  EXPECT_EQ(to_string(rejection::bad_signature), "bad_signature");
  EXPECT_EQ(to_string(rejection::expired), "expired");
  EXPECT_EQ(to_string(rejection::no_reply_to), "no_reply_to");
}

}  // namespace
}  // namespace gateway::choria

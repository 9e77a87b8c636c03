#include "gateway/common/encoding.hpp"

#include <gtest/gtest.h>

namespace gateway {
namespace {

TEST(Base64, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    auto decoded = base64_decode(base64_encode(bytes));
    ASSERT_TRUE(decoded.has_value()) << "length " << i;
    EXPECT_EQ(*decoded, bytes);
    bytes.push_back(static_cast<char>(i * 37));
  }
}

TEST(Base64, KnownVectors) {
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zg=="), "f");
}

TEST(Base64, AcceptsLineBreaks) {
  EXPECT_EQ(base64_decode("Zm9v\nYmFy\n"), "foobar");
}

TEST(Base64, RejectsInvalidInput) {
  EXPECT_FALSE(base64_decode("Zm9").has_value());
  EXPECT_FALSE(base64_decode("Zm9v!mFy").has_value());
  EXPECT_FALSE(base64_decode("Zg==Zg==").has_value());
}

TEST(Base64Url, RoundTripsWithoutPadding) {
  std::string bytes("\xfb\xff\x01", 3);
  auto encoded = base64url_encode(bytes);
  EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos);
  EXPECT_EQ(base64url_decode(encoded), bytes);
  EXPECT_EQ(base64url_decode("Zm8"), "fo");
  EXPECT_FALSE(base64url_decode("Zm8=").has_value());
}

TEST(Digest, Md5HexOfCallerid) {
  EXPECT_EQ(hex_encode(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex_encode(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RequestId, Is32LowercaseHex) {
  auto id = make_request_id();
  ASSERT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(id, make_request_id());
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("secret", "secret"));
  EXPECT_FALSE(constant_time_equal("secret", "secreT"));
  EXPECT_FALSE(constant_time_equal("secret", "secret2"));
}

TEST(BigEndian, RoundTripsAndSortsLikeIntegers) {
  std::string low, high;
  append_big_endian(low, 255);
  append_big_endian(high, 256);
  EXPECT_LT(low, high);
  EXPECT_EQ(read_big_endian(high), 256u);
  EXPECT_FALSE(read_big_endian("short").has_value());
}

}  // namespace
}  // namespace gateway

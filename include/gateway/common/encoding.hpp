// Byte encodings and digests shared by the protocol, tokens and cursors.
// Every function is thread safe and allocates its result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gateway {

// Standard base64 with padding and no line breaks (RFC 4648 section 4).
std::string base64_encode(std::string_view bytes);

// Decodes standard base64. Line breaks and other whitespace are skipped, as
// Choria nodes accept base64 wrapped every 60 characters. Returns nullopt on
// any other character or bad padding.
std::optional<std::string> base64_decode(std::string_view text);

// URL-safe base64 without padding (RFC 4648 section 5), for cursors.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

// Lowercase hexadecimal.
std::string hex_encode(std::string_view bytes);

// Raw digests.
std::string sha256(std::string_view bytes);
std::string md5(std::string_view bytes);

// Cryptographically random bytes from OpenSSL; aborts if the generator
// fails, since no caller can continue safely without randomness.
std::string random_bytes(std::size_t count);

// A Choria request id: 32 lowercase hex characters from 16 random bytes.
std::string make_request_id();

// Compares two secrets in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

// Big-endian fixed-width integers, the key encoding of the event log.
void append_big_endian(std::string& out, std::uint64_t value);
std::optional<std::uint64_t> read_big_endian(std::string_view bytes);

}  // namespace gateway

// Strict parsing of untrusted JSON documents such as request bodies.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gateway {

// Parses text as one JSON document without throwing. Returns the value,
// or std::nullopt with *error set to a message for the client that names
// the problem and, where one is known, its place:
// - nesting deeper than max_json_depth;
// - invalid UTF-8, with the byte offset of the first invalid byte;
// - a number beyond the range of a double, such as 1e400, with its field;
// - a key that appears twice in one object, with its path;
// - an empty text, and any other syntax error with nlohmann's description
//   of it (line, column and the text last read).
// Paths read like filter.fact[0].value.
[[nodiscard]] std::optional<nlohmann::json> parse_json_body(
    std::string_view text, std::string* error);

// Returns the byte offset of the first byte of text that is not part of
// well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF), or std::nullopt when text is well-formed.
[[nodiscard]] std::optional<std::size_t> first_invalid_utf8(
    std::string_view text);

}  // namespace gateway

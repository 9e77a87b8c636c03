// Request-target parsing: percent-decoding and query strings, as in
// RFC 3986 and the application/x-www-form-urlencoded rules for queries.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace gateway::http {

// Decodes %XX escapes. With plus_as_space, '+' becomes ' ' (query strings).
// Returns nullopt on a malformed escape or on an escaped NUL byte.
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view text,
                                                        bool plus_as_space);

// Splits "a=1&b=x%20y" into decoded pairs. A key without '=' maps to "", an
// empty item is skipped and the first of repeated keys wins. When repeated
// is not null, the decoded keys that appear more than once are added to
// it. Returns nullopt when any key or value fails percent_decode.
[[nodiscard]] std::optional<std::map<std::string, std::string>> parse_query(
    std::string_view query, std::set<std::string>* repeated = nullptr);

}  // namespace gateway::http

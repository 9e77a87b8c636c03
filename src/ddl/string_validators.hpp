// The named string validators of Choria DDLs, with go-choria's meaning.
#pragma once

#include <string_view>

namespace gateway::ddl {

// True when text contains none of ` $ ; | && > <, the characters
// go-choria's shellsafe validator rejects.
[[nodiscard]] bool is_shellsafe(std::string_view text);

// True when text is a dotted-quad IPv4 address, per inet_pton(AF_INET).
[[nodiscard]] bool is_ipv4_address(std::string_view text);

// True when text is an IPv6 address, per inet_pton(AF_INET6).
[[nodiscard]] bool is_ipv6_address(std::string_view text);

}  // namespace gateway::ddl

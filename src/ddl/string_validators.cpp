#include "src/ddl/string_validators.hpp"

#include <arpa/inet.h>

#include <array>
#include <string>

namespace gateway::ddl {
namespace {

bool parses_as(int family, std::string_view text) {
  // inet_pton needs a terminated string, and an embedded NUL must not
  // shorten the text it checks.
  if (text.find('\0') != std::string_view::npos) return false;
  std::string terminated(text);
  std::array<unsigned char, 16> address{};
  return inet_pton(family, terminated.c_str(), address.data()) == 1;
}

}  // namespace

bool is_shellsafe(std::string_view text) {
  for (std::string_view bad : {"`", "$", ";", "|", "&&", ">", "<"}) {
    if (text.find(bad) != std::string_view::npos) return false;
  }
  return true;
}

bool is_ipv4_address(std::string_view text) { return parses_as(AF_INET, text); }

bool is_ipv6_address(std::string_view text) {
  return parses_as(AF_INET6, text);
}

}  // namespace gateway::ddl

#include <cctype>

#include "gateway/client/http_client.hpp"

namespace gateway::client {
namespace {

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  for (char c : port)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

// Splits "host[:port]" or "[v6]:port" into host and port.
bool split_authority(std::string_view authority, std::string* host,
                     std::string* port) {
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    *host = std::string(authority.substr(1, close - 1));
    auto rest = authority.substr(close + 1);
    if (rest.empty()) return true;
    if (rest.front() != ':') return false;
    *port = std::string(rest.substr(1));
    return true;
  }
  auto colon = authority.rfind(':');
  *host = std::string(authority.substr(0, colon));
  if (colon != std::string_view::npos)
    *port = std::string(authority.substr(colon + 1));
  return true;
}

}  // namespace

std::string base_url::text() const {
  bool default_port = port == (tls ? "443" : "80");
  bool ipv6 = host.find(':') != std::string::npos;
  std::string out = tls ? "https://" : "http://";
  out += ipv6 ? "[" + host + "]" : host;
  if (!default_port) out += ":" + port;
  return out + path_prefix;
}

std::optional<base_url> parse_base_url(std::string_view text,
                                       std::string* error) {
  base_url url;
  std::string_view rest;
  if (text.starts_with("https://")) {
    url.tls = true;
    rest = text.substr(8);
  } else if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else {
    *error =
        "the URL " + std::string(text) + " must start with http:// or https://";
    return std::nullopt;
  }
  if (rest.find_first_of("?#@ ") != std::string_view::npos) {
    *error = "the URL " + std::string(text) +
             " must not contain a query, a fragment, user information or "
             "spaces";
    return std::nullopt;
  }

  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) url.path_prefix = rest.substr(slash);
  while (!url.path_prefix.empty() && url.path_prefix.back() == '/')
    url.path_prefix.pop_back();

  if (!split_authority(authority, &url.host, &url.port) || url.host.empty()) {
    *error = "the URL " + std::string(text) + " has no valid host";
    return std::nullopt;
  }
  if (url.port.empty()) url.port = url.tls ? "443" : "80";
  if (!valid_port(url.port)) {
    *error = "the URL " + std::string(text) +
             " has an invalid port: use a number from 1 to 65535";
    return std::nullopt;
  }
  return url;
}

}  // namespace gateway::client

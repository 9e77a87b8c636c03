#include "gateway/http/url.hpp"

#include <utility>

namespace gateway::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text,
                                          bool plus_as_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_as_space) {
      decoded.push_back(' ');
      continue;
    }
    if (c != '%') {
      decoded.push_back(c);
      continue;
    }

    if (i + 2 >= text.size()) return std::nullopt;
    int high = hex_value(text[i + 1]);
    int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    int byte = high * 16 + low;
    if (byte == 0) return std::nullopt;
    decoded.push_back(static_cast<char>(byte));
    i += 2;
  }
  return decoded;
}

std::optional<std::map<std::string, std::string>> parse_query(
    std::string_view query, std::set<std::string>* repeated) {
  std::map<std::string, std::string> pairs;
  while (!query.empty()) {
    auto ampersand = query.find('&');
    auto item = query.substr(0, ampersand);
    query = ampersand == std::string_view::npos ? std::string_view()
                                                : query.substr(ampersand + 1);
    if (item.empty()) continue;

    auto equals = item.find('=');
    auto key = percent_decode(item.substr(0, equals), true);
    auto value = equals == std::string_view::npos
                     ? std::optional<std::string>("")
                     : percent_decode(item.substr(equals + 1), true);
    if (!key || !value) return std::nullopt;
    auto [entry, inserted] = pairs.emplace(std::move(*key), std::move(*value));
    if (!inserted && repeated != nullptr) repeated->insert(entry->first);
  }
  return pairs;
}

}  // namespace gateway::http

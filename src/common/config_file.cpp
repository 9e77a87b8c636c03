#include "gateway/common/config_file.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace gateway {
namespace {

std::string_view trim(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::optional<config_file> config_file::parse(std::string_view text,
                                              std::string* error) {
  config_file result;
  std::size_t line_number = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{}
                                         : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;

    auto equals = line.find('=');
    auto key = trim(line.substr(0, equals));
    if (equals == std::string_view::npos || key.empty()) {
      *error = "line " + std::to_string(line_number) +
               ": expected `key = value`, got `" + std::string(line) + "`";
      return std::nullopt;
    }
    result.entries_[std::string(key)] =
        std::string(trim(line.substr(equals + 1)));
  }
  return result;
}

std::optional<config_file> config_file::load(const std::string& path,
                                             std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read configuration file " + path + ": " +
             std::strerror(errno);
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto parsed = parse(buffer.str(), error);
  if (!parsed) *error = path + ": " + *error;
  return parsed;
}

bool config_file::contains(const std::string& key) const {
  return entries_.count(key) != 0;
}

std::string config_file::get(const std::string& key,
                             const std::string& fallback) const {
  auto found = entries_.find(key);
  return found == entries_.end() ? fallback : found->second;
}

std::optional<std::int64_t> config_file::get_integer(
    const std::string& key, std::int64_t fallback, std::string* error) const {
  auto found = entries_.find(key);
  if (found == entries_.end()) return fallback;
  const std::string& text = found->second;
  std::int64_t value = 0;
  auto [end, status] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (status != std::errc{} || end != text.data() + text.size()) {
    *error = key + " must be an integer, got `" + text + "`";
    return std::nullopt;
  }
  return value;
}

std::optional<bool> config_file::get_bool(const std::string& key,
                                          bool fallback,
                                          std::string* error) const {
  auto found = entries_.find(key);
  if (found == entries_.end()) return fallback;
  const std::string& text = found->second;
  if (text == "true" || text == "yes" || text == "1") return true;
  if (text == "false" || text == "no" || text == "0") return false;
  *error = key + " must be true or false, got `" + text + "`";
  return std::nullopt;
}

std::vector<std::string> config_file::get_list(const std::string& key) const {
  std::vector<std::string> items;
  const std::string value = get(key);
  std::string_view rest = value;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto item = trim(rest.substr(0, comma));
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return items;
}

}  // namespace gateway

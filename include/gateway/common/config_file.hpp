// Choria-style configuration files: one `key = value` per line, `#` or `;`
// starts a comment line, and later keys replace earlier ones.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gateway {

class config_file {
 public:
  // Parses text. On a line that is neither blank, a comment nor
  // `key = value`, returns nullopt and sets *error to the line number and
  // the reason.
  static std::optional<config_file> parse(std::string_view text,
                                          std::string* error);

  // Reads and parses the file at path; *error names the path on failure.
  static std::optional<config_file> load(const std::string& path,
                                         std::string* error);

  bool contains(const std::string& key) const;
  std::string get(const std::string& key,
                  const std::string& fallback = "") const;

  // Typed getters. They return nullopt and set *error, naming the key and
  // the value, when the value does not parse; a missing key yields fallback.
  std::optional<std::int64_t> get_integer(const std::string& key,
                                          std::int64_t fallback,
                                          std::string* error) const;
  std::optional<bool> get_bool(const std::string& key, bool fallback,
                               std::string* error) const;

  // A comma-separated list, each item trimmed, empty items dropped.
  std::vector<std::string> get_list(const std::string& key) const;

  // Every key, so that callers can reject unknown `gateway.` keys.
  const std::map<std::string, std::string>& entries() const {
    return entries_;
  }

  void set(const std::string& key, const std::string& value) {
    entries_[key] = value;
  }

 private:
  std::map<std::string, std::string> entries_;
};

}  // namespace gateway

#include "gateway/common/json_body.hpp"

#include <utility>
#include <vector>

#include "gateway/common/json_limits.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;

// Keys longer than this are cut in error messages, so that a message
// stays short whatever the body holds.
constexpr std::size_t max_key_in_message = 64;

// Returns key cut to max_key_in_message bytes at a UTF-8 boundary.
std::string shortened(const std::string& key) {
  if (key.size() <= max_key_in_message) return key;
  std::size_t end = max_key_in_message;
  while (end > 0 && (static_cast<unsigned char>(key[end]) & 0xC0) == 0x80)
    --end;
  return key.substr(0, end) + "...";
}

std::string member_path(const std::string& path, const std::string& key) {
  return path.empty() ? shortened(key) : path + "." + shortened(key);
}

std::string element_path(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// Builds the document like nlohmann's own DOM parser, and also rejects a
// key repeated in one object and keeps the path to each value for error
// messages.
class strict_builder : public nlohmann::json_sax<json> {
 public:
  json root;
  std::string error;

  bool null() override { return add(json(nullptr)); }
  bool boolean(bool value) override { return add(json(value)); }
  bool number_integer(number_integer_t value) override {
    return add(json(value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return add(json(value));
  }
  bool number_float(number_float_t value, const string_t&) override {
    return add(json(value));
  }
  bool string(string_t& value) override { return add(json(std::move(value))); }
  bool binary(binary_t& value) override {
    return add(json::binary(std::move(value)));
  }

  bool start_object(std::size_t) override { return open(json::object()); }
  bool key(string_t& key) override {
    auto& level = levels_.back();
    if (level.value->contains(key)) {
      error = member_path(path(), key) +
              ": duplicate key; a key may appear only once in an object";
      return false;
    }
    level.key = std::move(key);
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }

  bool parse_error(std::size_t, const std::string& last_token,
                   const nlohmann::detail::exception& failure) override {
    // nlohmann reports a number beyond the range of a double as
    // out_of_range.406 "number overflow".
    if (failure.id == 406) {
      std::string place = pending_path();
      error = (place.empty() ? std::string("the body") : place) +
              ": the number " + last_token +
              " is out of range; JSON numbers must fit in a 64-bit "
              "floating-point value";
      return false;
    }
    std::string detail = failure.what();
    const auto prefix_end = detail.find("] ");
    if (prefix_end != std::string::npos) detail.erase(0, prefix_end + 2);
    error = "the body is not valid JSON: " + detail;
    return false;
  }

 private:
  struct level {
    json* value;
    std::string key;  // the key last read, when value is an object
  };

  // Stores value at the parser's position and returns its address.
  json* place(json value) {
    if (levels_.empty()) {
      root = std::move(value);
      return &root;
    }
    auto& parent = levels_.back();
    if (parent.value->is_array()) {
      parent.value->push_back(std::move(value));
      return &parent.value->back();
    }
    json& slot = (*parent.value)[parent.key];
    slot = std::move(value);
    return &slot;
  }
  bool add(json value) {
    (void)place(std::move(value));
    return true;
  }
  bool open(json container) {
    json* at = place(std::move(container));
    levels_.push_back({at, ""});
    return true;
  }
  bool close() {
    levels_.pop_back();
    return true;
  }

  // The path of the innermost open array or object.
  std::string path() const {
    std::string out;
    for (std::size_t i = 1; i < levels_.size(); ++i) out = step(out, i - 1);
    return out;
  }
  // The path of the value the parser reads next.
  std::string pending_path() const {
    if (levels_.empty()) return "";
    const auto& top = *levels_.back().value;
    return top.is_array() ? element_path(path(), top.size())
                          : member_path(path(), levels_.back().key);
  }
  // Extends path by the member or element of levels_[index] that is open.
  std::string step(const std::string& path, std::size_t index) const {
    const auto& at = levels_[index];
    return at.value->is_array() ? element_path(path, at.value->size() - 1)
                                : member_path(path, at.key);
  }

  std::vector<level> levels_;
};

// Returns the length of the UTF-8 sequence that starts at text[at] when it
// is well-formed (RFC 3629, table 3-7 of the Unicode standard), else 0.
std::size_t sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  if (byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
  return length;
}

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t length = sequence_length(text, at);
    if (length == 0) return at;
    at += length;
  }
  return std::nullopt;
}

std::optional<json> parse_json_body(std::string_view text, std::string* error) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    *error = "the body is empty; it must be a JSON document";
    return std::nullopt;
  }
  if (json_nesting_exceeds(text, max_json_depth)) {
    *error = "the body nests arrays and objects deeper than " +
             std::to_string(max_json_depth) + " levels";
    return std::nullopt;
  }
  if (auto offset = first_invalid_utf8(text)) {
    *error = "the body is not valid JSON: invalid UTF-8 at byte offset " +
             std::to_string(*offset);
    return std::nullopt;
  }

  strict_builder builder;
  if (!json::sax_parse(text, &builder)) {
    *error = builder.error;
    return std::nullopt;
  }
  return std::move(builder.root);
}

}  // namespace gateway

#include "wire.hpp"

#include "gateway/common/encoding.hpp"

namespace gateway::choria::detail {

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<nlohmann::json> parse_object(std::string_view text) {
  auto value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

std::optional<std::string> string_field(const nlohmann::json& object,
                                        const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

bool has_protocol(const nlohmann::json& object, std::string_view protocol) {
  auto value = string_field(object, "protocol");
  return value && *value == protocol;
}

namespace {

// Reads an optional string header; false when present with another type.
bool read_header(const nlohmann::json& headers, const char* key,
                 std::string* out) {
  auto found = headers.find(key);
  if (found == headers.end() || found->is_null()) return true;
  if (!found->is_string()) return false;
  *out = found->get<std::string>();
  return true;
}

}  // namespace

std::optional<parsed_transport> parse_transport(std::string_view payload) {
  auto transport = parse_object(payload);
  if (!transport || !has_protocol(*transport, transport_protocol))
    return std::nullopt;

  auto data = string_field(*transport, "data");
  auto headers = transport->find("headers");
  if (!data || headers == transport->end() || !headers->is_object())
    return std::nullopt;

  parsed_transport result;
  if (!read_header(*headers, "reply-to", &result.headers.reply_to) ||
      !read_header(*headers, "mc_sender", &result.headers.mc_sender))
    return std::nullopt;

  auto secure = base64_decode(*data);
  if (!secure) return std::nullopt;
  result.data = std::move(*secure);
  return result;
}

}  // namespace gateway::choria::detail

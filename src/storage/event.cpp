#include "gateway/storage/event.hpp"

#include <array>
#include <utility>

namespace gateway::storage {
namespace {

using json = nlohmann::json;

constexpr std::array<std::pair<event_kind, std::string_view>, 11> kind_names{{
    {event_kind::request_accepted, "request_accepted"},
    {event_kind::request_denied, "request_denied"},
    {event_kind::discovery_completed, "discovery_completed"},
    {event_kind::request_published, "request_published"},
    {event_kind::reply_received, "reply_received"},
    {event_kind::request_completed, "request_completed"},
    {event_kind::request_expired, "request_expired"},
    {event_kind::request_failed, "request_failed"},
    {event_kind::login_succeeded, "login_succeeded"},
    {event_kind::login_failed, "login_failed"},
    {event_kind::token_revoked, "token_revoked"},
}};

// Returns compact JSON text. Invalid UTF-8 becomes U+FFFD instead of
// throwing.
std::string dump_value(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void set_error(std::string* error, std::string text) {
  if (error != nullptr) *error = std::move(text);
}

// Reads an optional string field. Returns false if it has another type.
bool read_string(const json& object, const char* key, std::string& out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

// Returns an error unless object has "v" equal to event_encoding_version.
std::optional<std::string> check_version(const json& object) {
  auto version = object.find("v");
  if (version != object.end() && version->is_number_integer() &&
      version->get<std::int64_t>() == event_encoding_version)
    return std::nullopt;
  std::string found =
      version == object.end() ? std::string("(missing)") : version->dump();
  return "unsupported event encoding version " + found + ", expected " +
         std::to_string(event_encoding_version);
}

// Reads every field but data into e, or returns an error naming the field.
std::optional<std::string> read_header(const json& object, event& e) {
  auto sequence = object.find("seq");
  if (sequence == object.end() || !sequence->is_number_unsigned())
    return "event field \"seq\" must be an unsigned integer";
  e.sequence = sequence->get<std::uint64_t>();

  auto kind = object.find("kind");
  std::optional<event_kind> parsed_kind;
  if (kind != object.end() && kind->is_string())
    parsed_kind = event_kind_from_string(kind->get_ref<const std::string&>());
  if (!parsed_kind) {
    return "event field \"kind\" is missing or unknown: " +
           (kind == object.end() ? std::string("(missing)") : kind->dump());
  }
  e.kind = *parsed_kind;

  auto time = object.find("time_ms");
  if (time == object.end() || !time->is_number_integer())
    return "event field \"time_ms\" must be an integer";
  e.time_ms = time->get<std::int64_t>();

  if (!read_string(object, "request_id", e.request_id))
    return "event field \"request_id\" must be a string";
  if (!read_string(object, "caller", e.caller))
    return "event field \"caller\" must be a string";
  return std::nullopt;
}

}  // namespace

std::string_view to_string(event_kind kind) {
  for (const auto& [value, name] : kind_names)
    if (value == kind) return name;
  return "unknown";
}

std::optional<event_kind> event_kind_from_string(std::string_view name) {
  for (const auto& [value, text] : kind_names)
    if (text == name) return value;
  return std::nullopt;
}

bool updates_request_status(event_kind kind) {
  switch (kind) {
    case event_kind::request_accepted:
    case event_kind::discovery_completed:
    case event_kind::request_published:
    case event_kind::reply_received:
    case event_kind::request_completed:
    case event_kind::request_expired:
    case event_kind::request_failed:
      return true;
    default:
      return false;
  }
}

std::string encode_event(const event& e) {
  // The same text as dumping a json object of these fields, whose keys
  // nlohmann::json sorts, but without copying data into that object.
  std::string text = R"({"caller":)";
  text += dump_value(e.caller);
  text += R"(,"data":)";
  text += dump_value(e.data);
  text += R"(,"kind":")";
  text += to_string(e.kind);
  text += R"(","request_id":)";
  text += dump_value(e.request_id);
  text += R"(,"seq":)";
  text += std::to_string(e.sequence);
  text += R"(,"time_ms":)";
  text += std::to_string(e.time_ms);
  text += R"(,"v":)";
  text += std::to_string(event_encoding_version);
  text += '}';
  return text;
}

std::optional<event> decode_event(std::string_view text, std::string* error) {
  json object = json::parse(text, nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    set_error(error, "event is not a JSON object");
    return std::nullopt;
  }

  event e;
  auto failure = check_version(object);
  if (!failure) failure = read_header(object, e);
  if (failure) {
    set_error(error, std::move(*failure));
    return std::nullopt;
  }

  auto data = object.find("data");
  if (data != object.end() && !data->is_null()) e.data = std::move(*data);
  return e;
}

}  // namespace gateway::storage

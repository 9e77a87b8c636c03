#include "request_conversion.hpp"

#include <cctype>
#include <string_view>
#include <utility>

#include "gateway/http/url.hpp"

namespace gateway::http::detail {
namespace {

std::string to_lower(std::string_view text) {
  std::string lowered(text);
  for (auto& c : lowered) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lowered;
}

// Splits the target into the decoded path and query; false on failure.
bool parse_target(std::string_view target, request& out) {
  if (target == "*") {
    out.path = "*";
    return true;
  }
  if (target.empty() || target.front() != '/') return false;

  auto question = target.find('?');
  auto path = percent_decode(target.substr(0, question), false);
  if (!path) return false;
  out.path = std::move(*path);
  if (question == std::string_view::npos) return true;

  auto query = parse_query(target.substr(question + 1), &out.repeated_query);
  if (!query) return false;
  out.query = std::move(*query);
  return true;
}

}  // namespace

std::optional<request> to_request(
    boost::beast::http::request<boost::beast::http::string_body>& message,
    const std::string& remote_address) {
  request out;
  std::string_view target(message.target().data(), message.target().size());
  if (!parse_target(target, out)) return std::nullopt;

  out.method = std::string(message.method_string());
  for (const auto& field : message) {
    auto name = to_lower(std::string_view(field.name_string().data(),
                                          field.name_string().size()));
    std::string value(field.value());
    auto [position, inserted] = out.headers.emplace(name, value);
    if (!inserted) position->second += ", " + value;
  }
  out.body = std::move(message.body());
  out.remote_address = remote_address;
  return out;
}

}  // namespace gateway::http::detail

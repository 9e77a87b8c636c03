// Conversion of a parsed Beast request into gateway::http::request.
// Internal to gateway_http.
#pragma once

#include <optional>
#include <string>

#include <boost/beast/http.hpp>

#include "gateway/http/message.hpp"

namespace gateway::http::detail {

// Moves the body out of message. Returns nullopt when the target is not in
// origin form ("/path?query") or "*", or fails percent-decoding.
[[nodiscard]] std::optional<request> to_request(
    boost::beast::http::request<boost::beast::http::string_body>& message,
    const std::string& remote_address);

}  // namespace gateway::http::detail

#include "gateway/http/message.hpp"

#include <utility>

#include <nlohmann/json.hpp>

namespace gateway::http {

response json_response(unsigned status, std::string body) {
  response out;
  out.status = status;
  out.body = std::move(body);
  return out;
}

response error_response(unsigned status, std::string_view code,
                        std::string_view message) {
  nlohmann::json body = {
      {"error",
       {{"code", std::string(code)}, {"message", std::string(message)}}}};
  response out;
  out.status = status;
  // Replacement characters keep a message with invalid UTF-8 encodable.
  out.body =
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out;
}

}  // namespace gateway::http

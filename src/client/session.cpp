#include "gateway/client/session.hpp"

#include <cctype>
#include <cstdlib>
#include <iostream>

namespace gateway::client {
namespace {

using json = nlohmann::json;

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// The API's error message, or the body's start when it is not an error
// document.
std::string api_message(const http_response& response) {
  json body = response.json();
  if (body.is_object() && body.contains("error") && body["error"].is_object() &&
      body["error"].contains("message") && body["error"]["message"].is_string())
    return body["error"]["message"].get<std::string>();
  std::string text = response.body.substr(0, 200);
  return text.empty() ? "no error message" : text;
}

std::string api_code(const http_response& response, const char* fallback) {
  json body = response.json();
  if (body.is_object() && body.contains("error") && body["error"].is_object() &&
      body["error"].contains("code") && body["error"]["code"].is_string())
    return body["error"]["code"].get<std::string>();
  return fallback;
}

}  // namespace

int reporter::error(std::string_view code, const std::string& message) const {
  if (json_) {
    std::cout << nlohmann::json{{"error",
                                 {{"code", code}, {"message", message}}}}
                     .dump()
              << std::endl;
  } else {
    std::cerr << "choria-gw: " << message << std::endl;
  }
  return exit_error;
}

void reporter::document(const nlohmann::json& document) const {
  std::cout << document.dump(-1, ' ', false,
                             nlohmann::json::error_handler_t::replace)
            << std::endl;
}

void reporter::note(const std::string& message) const {
  std::cerr << message << std::endl;
}

api_session::api_session(const reporter& out, http_client client)
    : out_(&out), client_(std::move(client)) {}

std::optional<api_session> api_session::open(const global_options& options,
                                             const reporter& out,
                                             int* exit_code) {
  std::string file = credentials_path();
  std::string error;
  std::optional<credentials> stored;
  if (!file.empty()) stored = load_credentials(file, &error);
  if (!error.empty()) {
    *exit_code = out.error("config", error);
    return std::nullopt;
  }

  std::string url_text = options.url;
  if (url_text.empty()) url_text = environment("CHORIA_GW_URL");
  if (url_text.empty() && stored) url_text = stored->url;
  if (url_text.empty()) {
    *exit_code = out.error(
        "not_logged_in",
        "no gateway URL is known: log in with `choria-gw login --url URL`, "
        "or set --url or CHORIA_GW_URL");
    return std::nullopt;
  }
  auto url = parse_base_url(url_text, &error);
  if (!url) {
    *exit_code = out.error("usage", error);
    return std::nullopt;
  }

  connection_options connection;
  connection.timeout = std::chrono::seconds(options.http_timeout);
  connection.ca_file = options.ca_file;
  if (connection.ca_file.empty() && stored)
    connection.ca_file = stored->ca_file;

  api_session session(out, http_client(*url, connection));
  session.url_text_ = url->text();
  session.ca_file_ = connection.ca_file;
  session.credentials_file_ = file;
  session.stored_ = stored;
  session.token_ = environment("CHORIA_GW_TOKEN");
  if (session.token_.empty() && stored && !stored->token.empty()) {
    session.token_ = stored->token;
    session.token_from_file_ = true;
  }
  return session;
}

http_response api_session::call(
    const std::string& method, const std::string& target,
    const std::string& body, bool authenticate,
    std::vector<std::pair<std::string, std::string>> headers) const {
  http_request request;
  request.method = method;
  request.target = target;
  request.body = body;
  request.headers = std::move(headers);
  if (authenticate) request.bearer_token = token_;
  return client_.send(request);
}

http_response api_session::stream(const std::string& target,
                                  const std::string& accept,
                                  const body_consumer& consume) const {
  http_request request;
  request.target = target;
  request.accept = accept;
  request.bearer_token = token_;
  return client_.stream(request, consume);
}

int api_session::missing_token() const {
  return out_->error("not_logged_in", "not logged in to " + url_text_ +
                                          ": run `choria-gw login --url " +
                                          url_text_ +
                                          "`, or set CHORIA_GW_TOKEN");
}

int api_session::fail(const http_response& response) const {
  if (!response.certificate_error.empty()) {
    std::string trusted = ca_file_.empty() ? "the system's trusted CAs"
                                           : "the CA file " + ca_file_;
    return out_->error(
        "tls_certificate",
        "the gateway at " + url_text_ + " presented a certificate that " +
            trusted + " cannot verify (" + response.certificate_error +
            "): pass the PEM file of the CA that signs the gateway's "
            "certificate with --ca FILE");
  }
  if (response.status == 0)
    return out_->error("connection",
                       "cannot reach the gateway at " + url_text_ + " (" +
                           response.error +
                           "): check that it runs and that the URL is right");
  if (response.status == 401) {
    if (token_from_file_ && stored_) {
      credentials dropped = *stored_;
      dropped.token.clear();
      dropped.expires_at = 0;
      std::string ignored;
      (void)save_credentials(credentials_file_, dropped, &ignored);
    }
    std::string source =
        token_from_file_ ? "stored token" : "token in CHORIA_GW_TOKEN";
    return out_->error(
        "unauthorized",
        "the gateway rejected the " + source + " (" + api_message(response) +
            "); it may have expired or been revoked: log in again with "
            "`choria-gw login --url " +
            url_text_ + "`");
  }
  if (response.status == 403)
    return out_->error(api_code(response, "forbidden"),
                       "denied: " + api_message(response));
  std::string message = api_message(response);
  // A route this client knows but the gateway lacks: an older gateway.
  if (response.status == 405 || message.starts_with("no route for "))
    message += "; the gateway may be older than this client";
  return out_->error(api_code(response, "http_error"),
                     "the gateway returned HTTP " +
                         std::to_string(response.status) + ": " + message);
}

std::string url_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  return out;
}

}  // namespace gateway::client

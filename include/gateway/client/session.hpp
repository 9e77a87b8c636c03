// The parts every client command shares: exit statuses, error reporting in
// text or JSON, and an authenticated connection to the gateway.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/client/credentials.hpp"
#include "gateway/client/http_client.hpp"

namespace gateway::client {

// The exit statuses of every command.
inline constexpr int exit_success = 0;
// The request finished, but some nodes failed or did not reply.
inline constexpr int exit_partial = 1;
// Usage, connection, HTTP or authentication error.
inline constexpr int exit_error = 2;

struct global_options {
  bool json = false;      // one JSON document (or JSON lines) on stdout
  std::string url;        // overrides the stored URL
  std::string ca_file;    // overrides the stored CA file
  int http_timeout = 30;  // seconds for each network step
};

// Writes errors and documents in the output mode of the command.
class reporter {
 public:
  explicit reporter(bool json) : json_(json) {}

  [[nodiscard]] bool json() const { return json_; }

  // Reports an error and returns exit_error. JSON mode writes
  // {"error":{"code","message"}} to stdout, text mode writes
  // "choria-gw: message" to stderr.
  int error(std::string_view code, const std::string& message) const;

  // Writes document to stdout on one line.
  void document(const nlohmann::json& document) const;

  // Writes a message for the person at the terminal to stderr.
  void note(const std::string& message) const;

 private:
  bool json_;
};

// A connection to the gateway for one command. The URL comes from --url,
// then CHORIA_GW_URL, then the credentials file; the token from
// CHORIA_GW_TOKEN, then the credentials file.
class api_session {
 public:
  // Opens a session. Returns nullopt after reporting the error, with
  // *exit_code set, when no URL is known or the stored credentials cannot
  // be read.
  [[nodiscard]] static std::optional<api_session> open(
      const global_options& options, const reporter& out, int* exit_code);

  [[nodiscard]] const std::string& url_text() const { return url_text_; }
  [[nodiscard]] bool has_token() const { return !token_.empty(); }
  [[nodiscard]] const std::string& credentials_file() const {
    return credentials_file_;
  }
  [[nodiscard]] const std::optional<credentials>& stored() const {
    return stored_;
  }

  // Sends a request, with the token unless authenticate is false, and
  // with the extra header fields. Body, when not empty, is JSON.
  [[nodiscard]] http_response call(
      const std::string& method, const std::string& target,
      const std::string& body = "", bool authenticate = true,
      std::vector<std::pair<std::string, std::string>> headers = {}) const;

  // Whether the connection uses TLS, and the CA file it verifies with.
  [[nodiscard]] bool uses_tls() const { return client_.url().tls; }
  [[nodiscard]] const std::string& ca_file() const { return ca_file_; }

  // GETs target as a stream (see http_client::stream).
  [[nodiscard]] http_response stream(const std::string& target,
                                     const std::string& accept,
                                     const body_consumer& consume) const;

  // Reports a failed call and returns exit_error: a connection error, or
  // the status with the API's error message and what to do next. A 401
  // drops the stored token, so the next command requests a new login.
  int fail(const http_response& response) const;

  // Reports that no token is available and returns exit_error.
  int missing_token() const;

 private:
  api_session(const reporter& out, http_client client);

  const reporter* out_;
  http_client client_;
  std::string url_text_;
  std::string ca_file_;
  std::string token_;
  bool token_from_file_ = false;
  std::string credentials_file_;
  std::optional<credentials> stored_;
};

// Percent-encodes text for a query value or a path segment.
[[nodiscard]] std::string url_encode(std::string_view text);

}  // namespace gateway::client

// A blocking HTTP/1.1 and HTTPS client for the command-line client: one
// connection per call, every network step bounded by a deadline, so a
// gateway that stops responding ends the command with an error instead of
// hanging it.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace gateway::client {

// The gateway's base URL, such as https://gw.example.net:8443/prefix.
struct base_url {
  bool tls = false;
  std::string host;
  std::string port;         // "80" or "443" when the URL gives none
  std::string path_prefix;  // "" or "/prefix", without a trailing slash

  // The URL in its normal form: scheme://host[:port][/prefix].
  [[nodiscard]] std::string text() const;
};

// Parses an http:// or https:// URL without query, fragment or user
// information. Returns nullopt and sets *error when text is not one.
[[nodiscard]] std::optional<base_url> parse_base_url(std::string_view text,
                                                     std::string* error);

struct http_request {
  std::string method = "GET";
  std::string target;        // path and query, appended to the path prefix
  std::string body;          // sent as application/json when not empty
  std::string bearer_token;  // sent as Authorization: Bearer when not empty
  std::string accept = "application/json";
  // More header fields, such as Idempotency-Key, sent as given.
  std::vector<std::pair<std::string, std::string>> headers;
};

struct http_response {
  unsigned status = 0;  // 0 when the call failed before a response
  std::string body;
  std::string content_type;
  std::string error;  // why the call failed, when status is 0
  // The reason the gateway's certificate was rejected, such as "unable to
  // get local issuer certificate", when the TLS handshake failed for it.
  std::string certificate_error;

  // The body parsed as JSON, or a discarded value when it is not JSON.
  [[nodiscard]] nlohmann::json json() const;
};

struct connection_options {
  // PEM file of the CAs that sign the gateway's certificate; empty means
  // the system's trusted CAs.
  std::string ca_file;
  // Deadline of each step: resolve, connect, TLS handshake, write, read.
  std::chrono::seconds timeout{30};
};

// Called with each piece of a streamed body; returns false to stop reading.
using body_consumer = std::function<bool(std::string_view)>;

// Thread-compatible: each call opens and closes its own connection.
class http_client {
 public:
  http_client(base_url url, connection_options options);

  [[nodiscard]] const base_url& url() const { return url_; }

  // Sends request and reads the whole response.
  [[nodiscard]] http_response send(const http_request& request) const;

  // Sends request. A 2xx response's body is passed to consume piece by
  // piece as it arrives, with no deadline after the header, until the body
  // ends or consume returns false. The returned body is then empty. Any
  // other response is returned whole.
  [[nodiscard]] http_response stream(const http_request& request,
                                     const body_consumer& consume) const;

 private:
  base_url url_;
  connection_options options_;
};

}  // namespace gateway::client

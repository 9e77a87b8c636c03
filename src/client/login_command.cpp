// login and logout.
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "gateway/client/rpc_output.hpp"
#include "gateway/client/terminal.hpp"
#include "src/client/commands.hpp"

namespace gateway::client {
namespace {

using json = nlohmann::json;

std::string local_time(std::int64_t unix_seconds) {
  std::time_t time = unix_seconds;
  std::tm parts{};
  localtime_r(&time, &parts);
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %Z", &parts);
  return text;
}

std::string absolute(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  auto full = std::filesystem::absolute(path, ec);
  return ec ? path : full.string();
}

}  // namespace

int run_login(const global_options& options, const login_options& login) {
  reporter out(options.json);
  global_options connect = options;
  connect.ca_file = absolute(options.ca_file);
  int exit_code = exit_error;
  auto session = api_session::open(connect, out, &exit_code);
  if (!session) return exit_code;

  std::string username = login.username;
  if (username.empty()) {
    const char* user = std::getenv("USER");
    username = user != nullptr ? user : "";
  }
  if (username.empty())
    return out.error("usage", "no username: pass --username NAME");
  auto password = read_password("Password for " + username + " at " +
                                session->url_text() + ": ");
  if (!password || password->empty())
    return out.error("usage", "no password was given on standard input");

  json body = {{"username", username}, {"password", *password}};
  auto response = session->call("POST", "/v1/login", body.dump(), false);
  if (response.status == 401)
    return out.error("unauthorized", "login as " + username + " at " +
                                         session->url_text() +
                                         " failed: wrong username or password");
  if (response.status != 200) return session->fail(response);

  json grant = response.json();
  if (!grant.is_object() || !grant.contains("token") ||
      !grant["token"].is_string())
    return out.error("bad_response", "the login response has no token");

  credentials stored;
  stored.url = session->url_text();
  stored.username = username;
  stored.token = grant["token"].get<std::string>();
  stored.expires_at = count_field(grant, "expires_at");
  stored.ca_file = session->uses_tls() ? session->ca_file() : "";
  std::string error;
  if (session->credentials_file().empty())
    return out.error("config",
                     "cannot store the token: set HOME or XDG_CONFIG_HOME");
  if (!save_credentials(session->credentials_file(), stored, &error))
    return out.error("config", error);

  if (out.json()) {
    out.document({{"url", stored.url},
                  {"username", username},
                  {"expires_at", stored.expires_at},
                  {"credentials_file", session->credentials_file()}});
  } else {
    std::cout << "Logged in to " << stored.url << " as " << username
              << "; the token expires at " << local_time(stored.expires_at)
              << "." << std::endl;
  }
  return exit_success;
}

int run_logout(const global_options& options) {
  reporter out(options.json);
  int exit_code = exit_error;
  auto session = api_session::open(options, out, &exit_code);
  if (!session) return exit_code;
  if (!session->has_token()) return session->missing_token();

  auto response = session->call("POST", "/v1/logout");
  std::string outcome;
  if (response.status == 204 || response.status == 200) {
    outcome = "revoked";
  } else if (response.status == 404 || response.status == 401) {
    // 404: a gateway without logout. 401: the token is no longer valid.
    outcome = response.status == 404 ? "not_revoked" : "already_invalid";
  } else {
    return session->fail(response);
  }

  if (session->stored() && !session->stored()->token.empty()) {
    credentials dropped = *session->stored();
    dropped.token.clear();
    dropped.expires_at = 0;
    std::string error;
    if (!save_credentials(session->credentials_file(), dropped, &error))
      return out.error("config", error);
  }
  if (out.json()) {
    out.document({{"url", session->url_text()}, {"token", outcome}});
  } else if (outcome == "revoked") {
    std::cout << "Logged out of " << session->url_text()
              << "; the token is revoked." << std::endl;
  } else if (outcome == "not_revoked") {
    std::cout << "Removed the stored token. The gateway at "
              << session->url_text()
              << " has no logout route, so the token stays valid until it "
                 "expires."
              << std::endl;
  } else {
    std::cout << "Removed the stored token; the gateway no longer accepted "
                 "it."
              << std::endl;
  }
  return exit_success;
}

}  // namespace gateway::client

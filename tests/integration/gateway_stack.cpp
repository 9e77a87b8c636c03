#include "gateway_stack.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "gateway/auth/password.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// Start-up of every process is awaited for at most this long.
constexpr auto start_timeout = 30s;

bool accepts_tcp(unsigned short port) {
  int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (socket_fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  bool connected = ::connect(socket_fd, reinterpret_cast<sockaddr*>(&address),
                             sizeof address) == 0;
  ::close(socket_fd);
  return connected;
}

// The password from init's "  login:  admin / PASSWORD" line.
std::string admin_password_from(const std::string& init_output) {
  auto line = init_output.find("login:");
  if (line == std::string::npos) return "";
  auto slash = init_output.find(" / ", line);
  auto end = init_output.find('\n', line);
  if (slash == std::string::npos || slash > end) return "";
  return init_output.substr(slash + 3, end - slash - 3);
}

// Percent-encodes everything but the unreserved characters of RFC 3986.
std::string url_encode(const std::string& text) {
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

bool write_text(const std::string& path, const std::string& text,
                std::ios::openmode mode) {
  std::ofstream output(path, mode);
  output << text;
  return static_cast<bool>(output);
}

}  // namespace

gateway_stack::gateway_stack(stack_options options)
    : options_(std::move(options)) {}

std::string gateway_stack::node_name(int index) {
  return "node-" + std::to_string(index) + ".example.net";
}

bool gateway_stack::start(std::string* error) {
  if (!write_setup(error) || !start_broker(error)) return false;
  if (!start_simulator(error) || !start_gateway(error)) return false;

  std::string ready_file = folder_.file("sim.ready");
  if (!wait_until([&] { return std::filesystem::exists(ready_file); },
                  start_timeout)) {
    *error = "the simulator wrote no ready file\n" + log_tails();
    return false;
  }
  bool ready = options_.ready_probe
                   ? wait_until(options_.ready_probe, start_timeout)
                   : await_readyz(200, start_timeout);
  if (!ready) {
    *error = "/readyz did not return 200\n" + log_tails();
    return false;
  }
  return true;
}

bool gateway_stack::write_setup(std::string* error) {
  int broker_port = free_loopback_port();
  int http_port = free_loopback_port();
  if (broker_port <= 0 || http_port <= 0) {
    *error = "no free loopback port";
    return false;
  }
  broker_port_ = static_cast<unsigned short>(broker_port);
  http_port_ = static_cast<unsigned short>(http_port);

  std::string output = folder_.file("init.txt");
  child_process init(GATEWAY_PATH,
                     {"init", "--dir", folder_.file("setup"), "--listen",
                      "127.0.0.1:" + std::to_string(http_port_), "--broker",
                      "127.0.0.1:" + std::to_string(broker_port_),
                      "--plain-http"},
                     output);
  int status = init.wait_exit(start_timeout);
  admin_password_ = admin_password_from(read_text(output));
  if (status != 0 || admin_password_.empty()) {
    *error = "init failed with wait status " + std::to_string(status) + ":\n" +
             read_text(output);
    return false;
  }

  std::string extra;
  for (const auto& line : options_.extra_config) extra += line + "\n";
  if (!write_text(setup_file("gateway.conf"), extra, std::ios::app)) {
    *error = "cannot append to gateway.conf";
    return false;
  }
  return add_users(error);
}

bool gateway_stack::add_users(std::string* error) {
  json users = json::parse(read_text(setup_file("users.json")), nullptr, false);
  if (!users.is_array()) {
    *error = "users.json written by init is not a JSON array";
    return false;
  }
  for (const auto& user : options_.users) {
    auto hash = auth::hash_password(user.password, 4, error);
    if (!hash) return false;
    users.push_back({{"username", user.username},
                     {"password", *hash},
                     {"acls", user.acls},
                     {"roles", user.roles}});
  }
  if (!write_text(setup_file("users.json"), users.dump(2), std::ios::trunc)) {
    *error = "cannot write users.json";
    return false;
  }
  if (options_.extra_roles.empty()) return true;
  json policy =
      json::parse(read_text(setup_file("policy.json")), nullptr, false);
  if (!policy.is_object() || !policy["roles"].is_object()) {
    *error = "policy.json written by init has no roles object";
    return false;
  }
  policy["roles"].update(options_.extra_roles);
  if (!write_text(setup_file("policy.json"), policy.dump(2), std::ios::trunc)) {
    *error = "cannot write policy.json";
    return false;
  }
  return true;
}

bool gateway_stack::start_broker(std::string* error) {
  broker_ = std::make_unique<child_process>(
      NATS_SERVER_PATH,
      std::vector<std::string>{"-c", setup_file("nats-server.conf")},
      folder_.file("nats-server.log"));
  if (!wait_until([this] { return accepts_tcp(broker_port_); },
                  start_timeout)) {
    *error = "nats-server did not listen on port " +
             std::to_string(broker_port_) + "\n" + log_tails();
    return false;
  }
  return true;
}

bool gateway_stack::kill_broker() {
  if (!broker_) return false;
  return broker_->stop(SIGKILL, 10s) != -1;
}

bool gateway_stack::start_simulator(std::string* error) {
  std::vector<std::string> arguments{
      "--nats",       "tls://127.0.0.1:" + std::to_string(broker_port_),
      "--count",      std::to_string(options_.fleet_size),
      "--ca",         setup_file("ca.pem"),
      "--tls-cert",   setup_file("fleet-sim.pem"),
      "--tls-key",    setup_file("fleet-sim-key.pem"),
      "--tls-ca",     setup_file("ca.pem"),
      "--ready-file", folder_.file("sim.ready")};
  for (const auto& name : options_.silent_nodes) {
    arguments.push_back("--silent");
    arguments.push_back(name);
  }
  arguments.insert(arguments.end(), options_.simulator_arguments.begin(),
                   options_.simulator_arguments.end());
  simulator_ = std::make_unique<child_process>(FLEET_SIM_PATH, arguments,
                                               folder_.file("fleet-sim.log"));
  if (simulator_->pid() <= 0) {
    *error = "cannot start choria-fleet-sim";
    return false;
  }
  return true;
}

bool gateway_stack::start_gateway(std::string* error) {
  gateway_ = std::make_unique<child_process>(
      GATEWAY_PATH,
      std::vector<std::string>{"serve", "--config", setup_file("gateway.conf")},
      folder_.file("gateway.log"));
  if (gateway_->pid() <= 0) {
    *error = "cannot start choria-rest-gateway serve";
    return false;
  }
  return true;
}

int gateway_stack::stop_gateway(int signal_number) {
  if (!gateway_) return -1;
  return gateway_->stop(signal_number, 10s);
}

bool gateway_stack::signal_gateway(int signal_number) const {
  if (!gateway_ || gateway_->pid() <= 0) return false;
  return ::kill(gateway_->pid(), signal_number) == 0;
}

std::string gateway_stack::gateway_log() const {
  if (!gateway_) return "";
  std::ifstream in(gateway_->log_path());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool gateway_stack::await_readyz(unsigned expected_status,
                                 std::chrono::milliseconds timeout) {
  return wait_until(
      [&] {
        http_call call;
        call.target = "/readyz";
        call.deadline = 2s;
        return http(call).status == expected_status;
      },
      timeout);
}

http_result gateway_stack::http(http_call call) const {
  return send_http(http_port_, call);
}

std::string gateway_stack::login(const std::string& username,
                                 const std::string& password) const {
  http_call call;
  call.method = "POST";
  call.target = "/v1/login";
  call.body = json{{"username", username}, {"password", password}}.dump();
  auto result = http(call);
  json body = result.json();
  if (result.status != 200 || !body.is_object() || !body.contains("token") ||
      !body["token"].is_string()) {
    ADD_FAILURE() << "login of " << username << " returned " << result.status
                  << " " << result.body << result.error;
    return "";
  }
  return body["token"].get<std::string>();
}

std::string gateway_stack::login_admin() const {
  return login("admin", admin_password_);
}

http_result gateway_stack::submit(const std::string& token,
                                  const json& body) const {
  http_call call;
  call.method = "POST";
  call.target = "/v1/requests";
  call.body = body.dump();
  call.bearer_token = token;
  return http(call);
}

std::string gateway_stack::submit_accepted(const std::string& token,
                                           const json& body) const {
  auto result = submit(token, body);
  json reply = result.json();
  if (result.status != 202 || !reply.is_object() ||
      !reply.contains("request_id") || !reply["request_id"].is_string()) {
    ADD_FAILURE() << "submit of " << body.dump() << " returned "
                  << result.status << " " << result.body << result.error;
    return "";
  }
  return reply["request_id"].get<std::string>();
}

http_result gateway_stack::status(const std::string& token,
                                  const std::string& request_id) const {
  http_call call;
  call.target = "/v1/requests/" + request_id;
  call.bearer_token = token;
  return http(call);
}

json gateway_stack::await_finished(const std::string& token,
                                   const std::string& request_id,
                                   std::chrono::milliseconds timeout) const {
  json last;
  bool finished = wait_until(
      [&] {
        auto result = status(token, request_id);
        last = result.json();
        if (result.status != 200 || !last.is_object()) return false;
        auto state = last.value("state", "");
        return state == "complete" || state == "expired" || state == "failed";
      },
      timeout);
  if (!finished) {
    ADD_FAILURE() << "request " << request_id << " did not finish; last "
                  << "status " << last.dump() << "\n"
                  << log_tails();
    return nullptr;
  }
  return last;
}

std::vector<json> gateway_stack::read_reply_pages(const std::string& token,
                                                  const std::string& request_id,
                                                  int limit) const {
  std::vector<json> pages;
  std::string cursor;
  // More pages than replies could fill means the cursor never ends.
  for (int page = 0; page < 10'000; ++page) {
    http_call call;
    call.target = "/v1/requests/" + request_id +
                  "/replies?limit=" + std::to_string(limit) +
                  (cursor.empty() ? "" : "&cursor=" + url_encode(cursor));
    call.bearer_token = token;
    auto result = http(call);
    json body = result.json();
    if (result.status != 200 || !body.is_object()) {
      ADD_FAILURE() << "GET " << call.target << " returned " << result.status
                    << " " << result.body << result.error;
      return pages;
    }
    pages.push_back(body);
    auto next = body.find("next_cursor");
    if (next == body.end() || next->is_null()) return pages;
    if (!next->is_string()) {
      ADD_FAILURE() << "next_cursor is neither text nor null: " << body;
      return pages;
    }
    cursor = next->get<std::string>();
  }
  ADD_FAILURE() << "the reply cursor of " << request_id << " never ended";
  return pages;
}

std::string gateway_stack::log_tails() const {
  std::string out;
  for (const char* name : {"gateway.log", "fleet-sim.log", "nats-server.log"})
    out +=
        std::string("--- ") + name + "\n" + tail_lines(folder_.file(name), 20);
  return out;
}

}  // namespace gateway::integration

// choria-gw: a command-line client of choria-rest-gateway that talks only
// to its REST API.
#include <CLI/CLI.hpp>

#include <charconv>
#include <iostream>
#include <limits>
#include <string>

#include "src/client/commands.hpp"

namespace {

using namespace gateway::client;

constexpr const char* exit_status_help =
    "Exit status: 0 success; 1 the request finished, but some nodes failed "
    "or did not reply (or none matched); 2 usage, connection, HTTP or "
    "authentication error.\n"
    "Environment: CHORIA_GW_URL and CHORIA_GW_TOKEN override the stored "
    "URL and token; the login is stored in "
    "$XDG_CONFIG_HOME/choria-gw/credentials.json (default "
    "~/.config/choria-gw/credentials.json).";

// Accepts --limit values from 0 (every request) to INT_MAX. CLI11's
// NonNegativeNumber names no unit and prints DBL_MAX as its bound.
CLI::Validator history_limit_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int value = 0;
        const char* end = text.data() + text.size();
        auto [stop, failure] = std::from_chars(text.data(), end, value);
        if (failure == std::errc() && stop == end && value >= 0) return "";
        return "the number of requests must be 0 (list every request) or a "
               "positive whole number up to " +
               std::to_string(std::numeric_limits<int>::max()) + ", not " +
               text;
      },
      "INT >= 0");
}

constexpr const char* request_id_help =
    "Request id: 32 lowercase hex characters, as printed by req";

void add_global_options(CLI::App& app, global_options& options) {
  app.add_flag("--json", options.json,
               "Write one JSON document to stdout (JSON lines for watch); "
               "errors become {\"error\":{\"code\",\"message\"}}");
  app.add_option("--url", options.url,
                 "Gateway base URL, such as https://gw.example.net:8443; "
                 "default: the URL of the last login");
  app.add_option("--ca", options.ca_file,
                 "PEM file of the CAs that sign the gateway's HTTPS "
                 "certificate; default: the one given at login, else the "
                 "system's CAs");
  app.add_option("--http-timeout", options.http_timeout,
                 "Seconds each network step (connect, TLS handshake, send, "
                 "receive) may take; watch waits without limit once its "
                 "stream started")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
}

CLI::App* add_login(CLI::App& app, login_options& login) {
  auto* command = app.add_subcommand(
      "login",
      "Log in and store the gateway URL and token (mode 0600). The password "
      "is read from the terminal without echo, or from the first line of "
      "standard input when it is not a terminal");
  command->add_option("-u,--username", login.username,
                      "User name; default: $USER");
  command->footer(
      std::string("--url gives the gateway (default: the stored one); --ca, "
                  "when given, is stored with the token for later "
                  "commands.\n") +
      exit_status_help);
  return command;
}

// The filter flags of `mco rpc` (-I, -C, -F, -A) and --nodes.
void add_filter_options(CLI::App& command, request_options& options) {
  auto& request = options.request;
  command
      .add_option("-I,--identity", request.identity,
                  "Identity filter: a node name or /regex/; repeatable")
      ->allow_extra_args(false);
  command
      .add_option("-C,--class", request.classes,
                  "Configuration management class filter; repeatable")
      ->allow_extra_args(false);
  command
      .add_option("-F,--fact", request.facts,
                  "Fact filter: fact=value, fact!=value, fact>=value, "
                  "fact<value, fact=~regex ...; repeatable")
      ->allow_extra_args(false);
  command
      .add_option("-A,--agent", request.agents,
                  "Only nodes that run this agent; repeatable")
      ->allow_extra_args(false);
  command.add_option("--nodes", options.nodes_file,
                     "File of node names, one a line ('-' for standard "
                     "input); skips discovery");
}

// The collective, timeouts, publishing mode and waiting.
void add_delivery_options(CLI::App& command, request_options& options) {
  auto& request = options.request;
  command.add_option("-T,--collective", request.collective,
                     "Collective; default: the gateway's main collective");
  command.add_option("-t,--timeout", request.timeout,
                     "Seconds to collect replies, 1 to 3600; default: the "
                     "action's DDL timeout, plus the discovery timeout when "
                     "discovering");
  command.add_option("--discovery-timeout", request.discovery_timeout,
                     "Seconds of discovery, 1 to 60; default: the gateway's "
                     "gateway.default_discovery_timeout");
  command.add_option("--ttl", request.ttl,
                     "Seconds the request stays valid on the nodes, 30 to "
                     "86400; default: 60");
  command.add_flag("--broadcast", request.broadcast,
                   "Publish once to the agent's broadcast subject with the "
                   "filter instead of to each node");
  command.add_option("--batch", request.batch_size,
                     "Publish to this many nodes at a time (direct mode); "
                     "default: all at once");
  command.add_option("--batch-sleep", request.batch_sleep,
                     "Seconds between batches of --batch");

  auto* wait = command.add_flag(
      "--wait", options.wait,
      "Wait for the request to finish and print the replies (the default)");
  command
      .add_flag("--no-wait", options.no_wait,
                "Print only the request id and return at once")
      ->excludes(wait);
  command.add_flag("--no-progress", options.no_progress,
                   "Draw no progress bar while waiting");
}

// --idempotency-key, shared by req and replay.
void add_idempotency_option(CLI::App& command, std::string& key) {
  command.add_option(
      "--idempotency-key", key,
      "Idempotency-Key header of the submit: the gateway returns the "
      "request already submitted with this key and body instead of "
      "submitting it again. Default: a fresh random key, so only this "
      "command's own retry (once, after a connection failure or a 5xx "
      "status) reuses it");
}

CLI::App* add_request(CLI::App& app, request_options& options) {
  auto& request = options.request;
  auto* command = app.add_subcommand(
      "req",
      "Submit an RPC request. By default waits for it with a progress bar "
      "(on a terminal) and prints each node's reply like `mco rpc`, then a "
      "summary of ok, failed and silent nodes");
  command->add_option("agent", request.agent, "Agent, such as rpcutil")
      ->required();
  command->add_option("action", request.action, "Action, such as ping")
      ->required();
  command->add_option("inputs", request.inputs,
                      "Action inputs as key=value (true, false and integers "
                      "are typed) or key:=JSON");
  add_filter_options(*command, options);
  add_delivery_options(*command, options);
  add_idempotency_option(*command, options.idempotency_key);
  return command;
}

CLI::App* add_replay(CLI::App& app, replay_options& replay) {
  auto* command = app.add_subcommand(
      "replay",
      "Submit an earlier request again as a new request, to all of its "
      "nodes or only to some, then wait for it like req");
  command
      ->add_option("request_id", replay.request_id,
                   "Id of the request to replay: 32 lowercase hex "
                   "characters, as printed by req")
      ->required();
  auto* failed = command->add_flag(
      "--failed", replay.failed,
      "Only the nodes that replied with a statuscode other than 0");
  command
      ->add_flag("--no-response", replay.no_response,
                 "Only the expected nodes that did not reply")
      ->excludes(failed);
  command->add_flag("--no-wait", replay.no_wait,
                    "Print only the new request id and return at once");
  command->add_flag("--no-progress", replay.no_progress,
                    "Draw no progress bar while waiting");
  add_idempotency_option(*command, replay.idempotency_key);
  return command;
}

CLI::App* add_history(CLI::App& app, history_options& history) {
  auto* command = app.add_subcommand(
      "history",
      "List earlier requests, newest first, as a table or with --json: your "
      "own, or everyone's with a role that may read all requests");
  command->add_option("--agent", history.agent, "Only this agent");
  command->add_option("--action", history.action, "Only this action");
  command->add_option("--caller", history.caller,
                      "Only requests of this user; without a role that may "
                      "read all requests, another user's name lists none");
  command->add_option("--state", history.state,
                      "Only this state: discovering, running, complete, "
                      "expired or failed");
  command->add_option("--since", history.since,
                      "Only requests created at or after this time: RFC 3339 "
                      "such as 2026-12-04T15:00:00Z or "
                      "2026-12-04T16:00:00+01:00, or Unix seconds");
  command->add_option("--until", history.until,
                      "Only requests created at or before this time, written "
                      "as for --since");
  command
      ->add_option("-n,--limit", history.limit,
                   "List at most this many requests; 0 lists all")
      ->capture_default_str()
      ->check(history_limit_check());
  return command;
}

int parse_error(CLI::App& app, const CLI::ParseError& error) {
  int code = app.exit(error);
  return code == 0 ? exit_success : exit_error;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "choria-gw: run RPC requests on a Choria fleet through "
      "choria-rest-gateway"};
  app.set_version_flag("--version", GATEWAY_VERSION);
  app.require_subcommand(1, 1);
  app.footer(exit_status_help);

  global_options options;
  add_global_options(app, options);
  login_options login;
  auto* login_command = add_login(app, login);
  auto* logout_command = app.add_subcommand(
      "logout",
      "Revoke the stored token at the gateway (POST /v1/logout) and remove "
      "it from the credentials file; a token the gateway already rejects is "
      "removed too");
  request_options request;
  auto* request_command = add_request(app, request);

  std::string request_id;
  auto* status_command = app.add_subcommand(
      "status", "Show a request's state, counts and silent nodes");
  status_command->add_option("request_id", request_id, request_id_help)
      ->required();
  results_options results;
  auto* results_command = app.add_subcommand(
      "results", "Print every reply of a request (all pages) and a summary");
  results_command->add_option("request_id", results.request_id, request_id_help)
      ->required();
  results_command
      ->add_option("--page-size", results.page_size,
                   "Replies requested per page, 1 to 1000 and at most the "
                   "gateway's gateway.max_page_size")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  auto* watch_command = app.add_subcommand(
      "watch", "Print a request's replies as they arrive, until it finishes");
  watch_command->add_option("request_id", request_id, request_id_help)
      ->required();
  history_options history;
  auto* history_command = add_history(app, history);
  replay_options replay;
  auto* replay_command = add_replay(app, replay);

  // Every command takes the global options too, so that each --help lists
  // them and they may follow the command's own arguments.
  for (auto* command :
       {login_command, logout_command, request_command, status_command,
        results_command, watch_command, history_command, replay_command}) {
    add_global_options(*command, options);
    if (command != login_command) command->footer(exit_status_help);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return parse_error(app, error);
  }

  if (login_command->parsed()) return run_login(options, login);
  if (logout_command->parsed()) return run_logout(options);
  if (request_command->parsed()) return run_request(options, request);
  if (status_command->parsed()) return run_status(options, request_id);
  if (results_command->parsed()) return run_results(options, results);
  if (watch_command->parsed()) return run_watch(options, request_id);
  if (history_command->parsed()) return run_history(options, history);
  if (replay_command->parsed()) return run_replay(options, replay);
  return exit_error;
}

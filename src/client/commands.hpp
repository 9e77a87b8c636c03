// The client's commands. Each runs to completion, writes its output and
// returns the exit status (exit_success, exit_partial or exit_error).
#pragma once

#include <string>

#include "gateway/client/request_body.hpp"
#include "gateway/client/session.hpp"

namespace gateway::client {

struct login_options {
  std::string username;  // empty: $USER
};

struct request_options {
  request_arguments request;
  std::string nodes_file;  // "-" reads standard input
  bool wait = false;       // the default; set by --wait
  bool no_wait = false;
  bool no_progress = false;
  std::string idempotency_key;  // empty: a fresh random key
};

struct results_options {
  std::string request_id;
  int page_size = 500;
};

struct history_options {
  std::string agent;
  std::string action;
  std::string caller;
  std::string state;
  std::string since;
  std::string until;
  int limit = 20;  // requests to list; 0 lists every one
};

struct replay_options {
  std::string request_id;
  bool failed = false;       // only the nodes that replied with an error
  bool no_response = false;  // only the nodes that did not reply
  bool no_wait = false;
  bool no_progress = false;
  std::string idempotency_key;  // empty: a fresh random key
};

int run_login(const global_options& options, const login_options& login);
int run_logout(const global_options& options);
int run_request(const global_options& options, request_options& request);
int run_status(const global_options& options, const std::string& request_id);
int run_results(const global_options& options, const results_options& results);
int run_watch(const global_options& options, const std::string& request_id);
int run_history(const global_options& options, const history_options& history);
int run_replay(const global_options& options, const replay_options& replay);

// Shared by req and replay: waits until request_id finishes, drawing a
// progress bar when stdout is a terminal and progress is true, then writes
// the replies and the summary (or one JSON document) and returns the
// outcome's exit status.
int follow_request(const api_session& session, const reporter& out,
                   const std::string& request_id, bool progress);

// Reads every reply of request_id, page_size at a time, into *replies.
// Returns exit_success, or the status of the reported failure.
int read_all_replies(const api_session& session, const std::string& request_id,
                     int page_size, nlohmann::json* replies);

// Reads the status record of request_id into *status. Returns exit_success
// or the status of the reported failure.
int read_status(const api_session& session, const std::string& request_id,
                nlohmann::json* status);

// Reports an invalid request id and returns exit_error, or returns
// exit_success when request_id is 32 lowercase hex characters.
int check_request_id(const reporter& out, const std::string& request_id);

}  // namespace gateway::client

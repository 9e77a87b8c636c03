// Submitting with an Idempotency-Key, so that a submit retried after a
// lost response or a server error never fans out twice: the gateway
// returns the first request for a repeated key and body.
#pragma once

#include <functional>
#include <string>

#include "gateway/client/session.hpp"

namespace gateway::client {

// A fresh random key: "choria-gw-" and 32 hex digits of 128 random bits.
[[nodiscard]] std::string make_idempotency_key();

// Whether key is a valid Idempotency-Key: 1 to 255 printable ASCII
// characters without spaces, as the gateway accepts it.
[[nodiscard]] bool valid_idempotency_key(const std::string& key);

// Whether response is one a retry with the same key may fix: a
// connection failure (status 0) or a 5xx status.
[[nodiscard]] bool is_retryable(const http_response& response);

// Called before the retry with the failed response.
using retry_notice = std::function<void(const http_response& failed)>;

// POSTs body to target with the Idempotency-Key header set to key. When
// the first attempt is retryable, calls notice and sends the same request
// once more. Returns the last response: 202 for a new request, 200 with
// the original request when the gateway had already accepted it.
[[nodiscard]] http_response submit_idempotent(const api_session& session,
                                              const std::string& target,
                                              const std::string& body,
                                              const std::string& key,
                                              const retry_notice& notice);

// submit_idempotent that writes a note to stderr before the retry.
[[nodiscard]] http_response submit_with_retry(const api_session& session,
                                              const reporter& out,
                                              const std::string& target,
                                              const std::string& body,
                                              const std::string& key);

}  // namespace gateway::client

#include "gateway/client/submit.hpp"

#include "gateway/common/encoding.hpp"

namespace gateway::client {
namespace {

std::string describe_failure(const http_response& response) {
  if (response.status == 0) return "failed (" + response.error + ")";
  return "returned HTTP " + std::to_string(response.status);
}

}  // namespace

std::string make_idempotency_key() {
  return "choria-gw-" + hex_encode(random_bytes(16));
}

bool valid_idempotency_key(const std::string& key) {
  if (key.empty() || key.size() > 255) return false;
  for (unsigned char c : key)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

bool is_retryable(const http_response& response) {
  return response.status == 0 ||
         (response.status >= 500 && response.status < 600);
}

http_response submit_idempotent(const api_session& session,
                                const std::string& target,
                                const std::string& body, const std::string& key,
                                const retry_notice& notice) {
  auto send = [&] {
    return session.call("POST", target, body, true, {{"Idempotency-Key", key}});
  };
  auto response = send();
  if (!is_retryable(response)) return response;
  if (notice) notice(response);
  return send();
}

http_response submit_with_retry(const api_session& session, const reporter& out,
                                const std::string& target,
                                const std::string& body,
                                const std::string& key) {
  return submit_idempotent(
      session, target, body, key, [&](const http_response& failed) {
        out.note("choria-gw: the submit " + describe_failure(failed) +
                 "; retrying once with the same Idempotency-Key " + key);
      });
}

}  // namespace gateway::client

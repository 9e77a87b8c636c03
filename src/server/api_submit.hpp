// Admitting a request, shared by submits and replays: the Idempotency-Key
// check, RBAC, the denial event, and starting a collector. Internal to
// src/server.
#pragma once

#include <optional>
#include <string>

#include "src/server/api_support.hpp"

namespace gateway {

// An Idempotency-Key header and the digest of what it was sent with.
struct idempotency_claim {
  std::string key;
  std::string hash;
};

// Returns body reformatted without spacing and with sorted keys when it
// is JSON, so that spacing and key order do not change the Idempotency-Key
// hash, or body unchanged when it is not JSON.
[[nodiscard]] std::string canonical_json_body(const std::string& body);

// Reads the Idempotency-Key header of request into out, with the hash of
// method, path and canonical_body. The caller passes the body in a form
// that is equal for every body meaning the same request. Leaves out empty
// without the header. Returns false and sets *error for a key that is
// empty, longer than 255 bytes, or not printable ASCII.
[[nodiscard]] bool read_idempotency_key(const http::request& request,
                                        const std::string& canonical_body,
                                        std::optional<idempotency_claim>& out,
                                        std::string* error);

// Appends a request_denied event for rpc to the event log, with reason and,
// when not empty, the error code that the caller got.
void record_denial(const context_ptr& context, const rpc_request& rpc,
                   const std::string& reason,
                   const std::string& error_code = "");

// Admits rpc for caller and responds. With a claim, a retry of the same
// submit gets 200 and the original request, another body with the key
// gets 422, and a retry while the first submit still runs gets 409.
// Otherwise a denial gets 403 and is recorded, and an allowed request is
// started and gets 202.
void admit_request(caf::event_based_actor* self, const context_ptr& context,
                   const identity& caller, rpc_request rpc,
                   std::optional<idempotency_claim> claim,
                   const http::responder& respond);

}  // namespace gateway

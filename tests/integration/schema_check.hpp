// Validation of captured Choria messages against the upstream Choria v1
// protocol JSON Schemas (draft 4), with valijson.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace gateway::integration {

// Validates document against the schema file name in the protocol/v1
// schema folder, such as "request.json". Returns the validator's messages,
// one per line, or an empty string when the document is valid.
[[nodiscard]] std::string schema_errors(const std::string& name,
                                        const nlohmann::json& document);

// Checks every layer of a request payload as the gateway publishes it: the
// transport, the secure request, the request and the RPC body. The RPC body
// has no upstream schema. For the discovery agent it must be the base64
// text of `ping`. Otherwise it must be a JSON object with an object data
// and string agent, action and caller fields, which must match the
// envelope. Returns every problem found, or an empty string.
[[nodiscard]] std::string request_layer_errors(const std::string& payload);

// Checks the transport, secure reply and reply layers of a reply payload.
[[nodiscard]] std::string reply_layer_errors(const std::string& payload);

}  // namespace gateway::integration

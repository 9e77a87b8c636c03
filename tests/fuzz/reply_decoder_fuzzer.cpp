// Fuzzes the decoders of Choria replies and requests as they arrive from
// NATS: transport, secure layer, hash check and RPC body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/choria/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  const auto reply = gateway::choria::decode_reply(payload);
  if (reply.value) {
    // A decoded reply's body must serialize, as the event log stores it.
    (void)reply.value->body.dump(-1, ' ', false,
                                 nlohmann::json::error_handler_t::replace);
  }
  (void)gateway::choria::decode_request(payload);
  (void)gateway::choria::decode_rpc_message(payload);
  return 0;
}

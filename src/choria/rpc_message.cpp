#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"

namespace gateway::choria {

namespace {

// Length of the UTF-8 sequence starting with lead, or 0 when lead cannot
// start one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

bool is_control(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

// True for valid UTF-8 without control characters other than tab and line
// breaks. Overlong three- and four-byte forms are not rejected, since this
// only separates text from binary.
bool is_printable_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    auto lead = static_cast<unsigned char>(bytes[i]);
    std::size_t length = sequence_length(lead);
    if (length == 0 || i + length > bytes.size()) return false;
    if (length == 1 && is_control(lead)) return false;
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(bytes[i + k]);
      if ((next & 0xc0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

}  // namespace

std::string discovery_rpc_body() { return base64_encode("ping"); }

std::string decode_rpc_message(std::string_view message) {
  auto decoded = base64_decode(message);
  if (decoded && !decoded->empty() && is_printable_utf8(*decoded))
    return std::move(*decoded);
  return std::string(message);
}

}  // namespace gateway::choria

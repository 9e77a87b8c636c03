#include "gateway/common/log_text.hpp"

namespace gateway {

std::string log_safe(std::string_view text, std::size_t max_bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < max_bytes; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
      continue;
    }
    out += "\\x";
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0x0f]);
  }
  if (text.size() > max_bytes) out += "...";
  return out;
}

}  // namespace gateway

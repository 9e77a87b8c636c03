// An spdlog formatter that writes each record as one JSON object per line.
#pragma once

#include <memory>
#include <string_view>

#include <spdlog/formatter.h>

namespace gateway {

// Writes {"time":"2026-12-04T15:00:00.123Z","level":"info",
// "component":"collector","request_id":"...","message":"..."}. request_id
// is present when the message contains "request " followed by a 32-digit
// lowercase hex request id. Strings are JSON-escaped, and invalid UTF-8 is
// replaced by U+FFFD.
class json_log_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message,
              spdlog::memory_buf_t& dest) override;
  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override;
};

// The first request id that follows "request " in text, or an empty view.
[[nodiscard]] std::string_view find_request_id(std::string_view text);

}  // namespace gateway

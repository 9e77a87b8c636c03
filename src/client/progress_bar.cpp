#include "gateway/client/progress_bar.hpp"

#include <algorithm>
#include <string>

#include "gateway/client/rpc_output.hpp"

namespace gateway::client {

std::string progress_bar::render(const nlohmann::json& status, int width) {
  std::string state = text_field(status, "state");
  if (state == "discovering") return " * discovering nodes ...";

  auto expected = count_field(status, "expected");
  auto received = std::min(count_field(status, "received"), expected);
  std::string counts =
      " " + std::to_string(received) + " / " + std::to_string(expected);
  // " * [ " + bar + " ]" + counts must fit in width - 1 columns, so that
  // the cursor never wraps to the next line.
  int bar_width = std::max(10, width - 1 - 7 - static_cast<int>(counts.size()));
  int filled = expected == 0
                   ? bar_width
                   : static_cast<int>(bar_width * received / expected);
  std::string bar(static_cast<std::size_t>(bar_width), ' ');
  for (int i = 0; i < filled; ++i) bar[static_cast<std::size_t>(i)] = '=';
  if (filled < bar_width) bar[static_cast<std::size_t>(filled)] = '>';
  return " * [ " + bar + " ]" + counts;
}

void progress_bar::update(const nlohmann::json& status) {
  *out_ << '\r' << render(status, width_) << "\x1b[K" << std::flush;
  drawn_ = true;
}

void progress_bar::finish() {
  if (drawn_) *out_ << "\n\n" << std::flush;
  drawn_ = false;
}

}  // namespace gateway::client

// A one-line progress bar of replies received against replies expected,
// redrawn in place on a terminal like the one `mco rpc` shows.
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

namespace gateway::client {

// Not thread safe; one bar per output stream at a time.
class progress_bar {
 public:
  // out must be a terminal that understands carriage return and ESC [ K;
  // width is its width in columns.
  progress_bar(std::ostream& out, int width) : out_(&out), width_(width) {}

  // Redraws the line for a status record: "discovering nodes" while the
  // state is discovering, then " * [ ====>   ] received / expected".
  void update(const nlohmann::json& status);

  // Ends the line, so that later output starts on a new one.
  void finish();

  // The line update() draws, without control characters.
  [[nodiscard]] static std::string render(const nlohmann::json& status,
                                          int width);

 private:
  std::ostream* out_;
  int width_;
  bool drawn_ = false;
};

}  // namespace gateway::client

#include "gateway/client/event_stream_parser.hpp"

namespace gateway::client {

bool event_stream_parser::feed(std::string_view text) {
  if (stopped_) return false;
  pending_.append(text);
  std::size_t start = 0;
  while (true) {
    auto end = pending_.find_first_of("\r\n", start);
    if (end == std::string::npos) break;
    // "\r\n" is one line break. A lone '\r' at the end of a piece may be
    // followed by '\n' in the next one, so it waits for that piece.
    if (pending_[end] == '\r' && end + 1 == pending_.size()) break;
    std::string_view line(pending_.data() + start, end - start);
    std::size_t next = end + 1;
    if (pending_[end] == '\r' && pending_[end + 1] == '\n') ++next;
    start = next;
    if (!process_line(line)) {
      stopped_ = true;
      pending_.clear();
      return false;
    }
  }
  pending_.erase(0, start);
  return true;
}

bool event_stream_parser::process_line(std::string_view line) {
  if (line.empty()) {
    bool keep_going = true;
    if (has_data_) {
      if (current_.event.empty()) current_.event = "message";
      keep_going = handler_(current_);
    }
    current_ = server_event{.event = "", .data = "", .id = current_.id};
    has_data_ = false;
    return keep_going;
  }
  if (line.front() == ':') return true;  // a comment, such as a ping

  auto colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
  }
  if (field == "event") {
    current_.event = value;
  } else if (field == "data") {
    if (has_data_) current_.data += '\n';
    current_.data += value;
    has_data_ = true;
  } else if (field == "id") {
    current_.id = value;
  }
  return true;
}

}  // namespace gateway::client

#include "gateway/http/event_stream.hpp"

#include <utility>

#include "session.hpp"
#include "stream_state.hpp"

namespace gateway::http {

namespace detail {

stream_state::stream_state(std::weak_ptr<session> connection,
                           std::shared_ptr<post_gate> gate,
                           std::uint64_t sequence, std::size_t max_queued_bytes)
    : connection_(std::move(connection)),
      gate_(std::move(gate)),
      sequence_(sequence),
      max_queued_bytes_(max_queued_bytes) {}

bool stream_state::send(std::string data) {
  if (data.empty()) return is_open();

  bool overflow = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!open_) return false;
    queued_bytes_ += data.size();
    overflow = queued_bytes_ > max_queued_bytes_;
    if (overflow) open_ = false;
  }

  // A client that reads too slowly loses the connection rather than let
  // the queue grow without bound.
  auto sequence = sequence_;
  with_live_session(*gate_, connection_, [&](session& live) {
    if (overflow) {
      live.post_abort(sequence);
    } else {
      live.post_chunk(sequence, std::move(data));
    }
  });
  return !overflow;
}

void stream_state::close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!open_) return;
    open_ = false;
  }
  auto sequence = sequence_;
  with_live_session(*gate_, connection_,
                    [&](session& live) { live.post_stream_end(sequence); });
}

bool stream_state::is_open() {
  std::lock_guard<std::mutex> lock(mutex_);
  return open_;
}

std::size_t stream_state::queued_bytes() {
  std::lock_guard<std::mutex> lock(mutex_);
  return queued_bytes_;
}

void stream_state::on_close(std::function<void()> callback) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!ended_) {
      on_close_ = std::move(callback);
      return;
    }
  }
  if (callback) callback();
}

void stream_state::sent(std::size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  queued_bytes_ -= bytes < queued_bytes_ ? bytes : queued_bytes_;
}

void stream_state::finish() {
  std::function<void()> callback;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = false;
    if (ended_) return;
    ended_ = true;
    callback = std::move(on_close_);
  }
  if (callback) callback();
}

}  // namespace detail

namespace {

// Replaces line breaks, which would end the field early, by spaces.
std::string single_line(std::string_view text) {
  std::string line(text);
  for (auto& c : line) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return line;
}

}  // namespace

stream_writer::stream_writer(std::shared_ptr<detail::stream_state> state)
    : state_(std::move(state)) {}

bool stream_writer::send(std::string data) const {
  return state_ && state_->send(std::move(data));
}

void stream_writer::close() const {
  if (state_) state_->close();
}

bool stream_writer::is_open() const { return state_ && state_->is_open(); }

std::size_t stream_writer::queued_bytes() const {
  return state_ ? state_->queued_bytes() : 0;
}

void stream_writer::on_close(std::function<void()> callback) const {
  if (state_) {
    state_->on_close(std::move(callback));
  } else if (callback) {
    callback();
  }
}

std::string format_event(std::string_view event, std::string_view data,
                         std::string_view id) {
  std::string out;
  if (!event.empty()) out.append("event: ").append(single_line(event)) += '\n';

  // Every line of data gets its own field, as CR, LF and CRLF all end a
  // line in an event stream. A final line break adds no empty line.
  out.append("data: ");
  for (std::size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (c != '\r' && c != '\n') {
      out += c;
      continue;
    }
    if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
    if (i + 1 < data.size()) out.append("\ndata: ");
  }
  out += '\n';

  if (!id.empty()) out.append("id: ").append(single_line(id)) += '\n';
  out += '\n';
  return out;
}

}  // namespace gateway::http

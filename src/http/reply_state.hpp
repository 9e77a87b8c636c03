// The shared state behind responder. Internal to gateway_http.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "gateway/http/event_stream.hpp"
#include "gateway/http/message.hpp"
#include "server_state.hpp"
#include "session.hpp"

namespace gateway::http::detail {

// Holds the connection weakly, so that a responder kept by slow work never
// keeps a closed connection alive.
struct reply_state {
  reply_state(std::weak_ptr<session> connection,
              std::shared_ptr<post_gate> gate, std::uint64_t sequence,
              std::size_t max_stream_queue_bytes);

  // Sends a 500 error if no response was ever given.
  ~reply_state();

  void answer(response reply);
  stream_writer start_stream(unsigned status, header_list headers);
  void observe(std::function<void(unsigned)> observer) {
    observer_ = std::move(observer);
  }

 private:
  // True for the first caller only.
  bool claim() { return !answered_.exchange(true); }

  const std::weak_ptr<session> connection_;
  const std::shared_ptr<post_gate> gate_;
  const std::uint64_t sequence_;
  const std::size_t max_stream_queue_bytes_;
  std::atomic<bool> answered_{false};
  std::function<void(unsigned)> observer_;  // called once, by claim's winner
};

}  // namespace gateway::http::detail

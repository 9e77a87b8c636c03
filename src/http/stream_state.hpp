// The shared state behind stream_writer. Internal to gateway_http.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "server_state.hpp"

namespace gateway::http::detail {

// Writers call send() and close() from any thread; the session calls sent()
// and finish() on its strand.
struct stream_state {
  stream_state(std::weak_ptr<session> connection,
               std::shared_ptr<post_gate> gate, std::uint64_t sequence,
               std::size_t max_queued_bytes);

  bool send(std::string data);
  void close();
  bool is_open();
  std::size_t queued_bytes();
  void on_close(std::function<void()> callback);

  // Counts bytes the session has written, freeing queue budget.
  void sent(std::size_t bytes);

  // Marks the stream ended and runs the close callback once.
  void finish();

 private:
  const std::weak_ptr<session> connection_;
  const std::shared_ptr<post_gate> gate_;
  const std::uint64_t sequence_;
  const std::size_t max_queued_bytes_;

  std::mutex mutex_;
  bool open_ = true;    // accepting send()
  bool ended_ = false;  // finish() ran
  std::size_t queued_bytes_ = 0;
  std::function<void()> on_close_;
};

}  // namespace gateway::http::detail

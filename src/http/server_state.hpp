// State shared by the listener, the sessions, the responders and the
// stream writers of one server. Internal to gateway_http.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

#include "gateway/http/server.hpp"

namespace gateway::http::detail {

class session;

// Guards every post made from outside the HTTP threads (responders, stream
// writers). The server closes it before it destroys the io_context, so no
// post and no last reference to a session can race with that destruction.
// The mutex is recursive because dropping the last reference to a session
// under it runs the stream's close callback, which may send again.
struct post_gate {
  std::recursive_mutex mutex;
  bool open = true;
};

// Runs action(session&) if the gate is open and the session still exists,
// holding the gate's mutex meanwhile. Safe from any thread.
template <typename Action>
void with_live_session(post_gate& gate, const std::weak_ptr<session>& weak,
                       Action&& action) {
  std::lock_guard<std::recursive_mutex> lock(gate.mutex);
  if (!gate.open) return;
  if (auto live = weak.lock()) action(*live);
}

// The options, the handler and the set of open connections.
class server_state {
 public:
  server_state(server_options options, handler on_request);

  const server_options options;
  const handler on_request;
  const std::shared_ptr<post_gate> gate;
  const std::shared_ptr<spdlog::logger> log;

  // Registers a new connection. Returns false once stopping has begun, in
  // which case the caller drops the connection.
  [[nodiscard]] bool add(const std::shared_ptr<session>& connection);

  // Unregisters a connection; called by its destructor.
  void remove(const session* connection);

  [[nodiscard]] std::size_t connection_count() const;

  // Rejects further connections and returns those open now.
  [[nodiscard]] std::vector<std::shared_ptr<session>> begin_stop();

 private:
  mutable std::mutex mutex_;
  bool stopping_ = false;
  std::unordered_map<const session*, std::weak_ptr<session>> sessions_;
};

}  // namespace gateway::http::detail

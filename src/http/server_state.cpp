#include "server_state.hpp"

#include <utility>

#include "gateway/common/logging.hpp"

namespace gateway::http::detail {

server_state::server_state(server_options options, handler on_request)
    : options(std::move(options)),
      on_request(std::move(on_request)),
      gate(std::make_shared<post_gate>()),
      log(gateway::logger("http")) {}

bool server_state::add(const std::shared_ptr<session>& connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return false;
  sessions_.emplace(connection.get(), connection);
  return true;
}

void server_state::remove(const session* connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_.erase(connection);
}

std::size_t server_state::connection_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.size();
}

std::vector<std::shared_ptr<session>> server_state::begin_stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  stopping_ = true;
  std::vector<std::shared_ptr<session>> open;
  for (const auto& [key, weak] : sessions_) {
    if (auto live = weak.lock()) open.push_back(std::move(live));
  }
  return open;
}

}  // namespace gateway::http::detail

// The reply routes of the broker link: which collector owns which request
// id. nats.c delivery threads use it to decode and verify each reply where
// it arrives and to send the result straight to its collector, so that
// decoding runs in parallel with the collectors and the event log.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "actors/messages.hpp"
#include "gateway/metrics/registry.hpp"

namespace gateway {

// Thread safe: add and remove run on the broker link actor, deliver on
// any number of nats.c delivery threads at once.
class reply_router {
 public:
  explicit reply_router(metrics::registry_ptr metrics);

  // Routes the replies for request_id to sink until remove.
  void add(const std::string& request_id, reply_sink_actor sink);
  void remove(const std::string& request_id);
  void clear();

  // Handles one NATS message on a reply subject, whose last token is the
  // request id. A reply for a request id without a route is counted as
  // unknown_request and dropped without being decoded. Every other reply
  // is decoded and its hash checked on the calling thread, and the
  // result, valid or not, goes to the route's collector, which counts the
  // invalid ones.
  void deliver(std::string_view subject, std::string_view payload);

  // Replies dropped so far because no route had their request id.
  [[nodiscard]] std::uint64_t unknown_requests() const;

 private:
  // Lets find take a string_view without building a std::string.
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  [[nodiscard]] reply_sink_actor find(std::string_view request_id) const;

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, reply_sink_actor, text_hash, std::equal_to<>>
      routes_;
  metrics::registry_ptr metrics_;
  std::atomic<std::uint64_t> unknown_requests_{0};
};

}  // namespace gateway

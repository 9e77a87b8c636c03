// A stream subscriber bridges one server-sent event stream to the event
// log: it sends the stored replies of its request after the client's last
// sequence, then each new reply as the stream hub announces it, and a
// final "end" event with the request's status once the request ended.
//
// Events on the stream:
//   event: reply   id: <reply sequence>   data: the reply record
//   event: end                            data: the status record
//   event: error                          data: {"error":{code,message}}
//   ": heartbeat" comments every stream_options::heartbeat
//
// The subscriber reads replies from the store itself, a page at a time,
// and reads the next page only while the writer holds less than
// pause_bytes unsent. A client that reads nothing for max_stall while
// the writer is that full gets an error event (code slow_consumer) and
// the stream closes, so a slow client never makes the gateway buffer
// more than about pause_bytes plus one page per stream. The client
// resumes without gaps or duplicates by reconnecting with Last-Event-ID.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "actors/stream_hub.hpp"
#include "gateway/http/event_stream.hpp"
#include "gateway/storage/event_store.hpp"

namespace gateway {

struct stream_options {
  std::chrono::milliseconds heartbeat{15000};
  std::size_t page_size = 200;  // replies read from the store at a time
  std::size_t pause_bytes = 256 * 1024;
  std::chrono::milliseconds max_stall{10000};
  std::chrono::milliseconds poll{100};  // recheck a full writer this often
};

// One stream: the request, the last reply sequence the client has (0 for
// none) and the open writer. The request must exist and be visible to
// the client; the caller checked that.
struct stream_order {
  std::string request_id;
  std::uint64_t last_sequence = 0;
  http::stream_writer writer;
};

// Spawns the subscriber, which registers with hub and starts sending at
// once. It closes the writer and quits after the end or error event, or
// when it receives closed (wire writer.on_close to send it).
stream_subscriber_actor spawn_stream_subscriber(
    caf::actor_system& system, stream_hub_actor hub,
    std::shared_ptr<const storage::event_store> store, stream_order order,
    stream_options options);

}  // namespace gateway

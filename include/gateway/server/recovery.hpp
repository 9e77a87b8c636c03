// Start-up recovery of requests that the last run left unfinished. It
// reads only the persisted index of unfinished requests and, per request,
// its status, expected nodes and stored replies, never the whole log.
//
// What happens to an unfinished request:
//   - published, deadline in the future: collection resumes until the
//     deadline. The request is not published again, so nodes never run it
//     twice. A direct request published in batches that the crash cut
//     short stays unpublished for the remaining nodes, which end up silent.
//   - published, deadline passed: it ends as expired, with the expected
//     nodes without a stored reply listed as silent.
//   - accepted but not published (the crash came between the 202 and the
//     publish): the collector writes request_published before it sends
//     anything, so none of the nodes has seen the request. It is published
//     now, discovering again first when it had a filter, if its time budget
//     (accepted time + discovery timeout + timeout) leaves at least one
//     second to collect; otherwise it ends as failed with a reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gateway/storage/event_store.hpp"

namespace gateway {

// A request whose collection continues in this run.
struct resume_order {
  std::string request_id;
  storage::event accepted;  // its request_accepted event: the full request
  bool published = false;
  // Unix ms. Published: when collection ends. Unpublished: when the time
  // budget ends, which bounds discovery plus collection.
  std::int64_t deadline_ms = 0;
  std::vector<std::string> expected;  // published requests only
  std::vector<std::string> answered;  // senders with a stored reply
};

struct recovery_result {
  std::vector<resume_order> resume;
  std::size_t expired = 0;
  std::size_t failed = 0;
  std::size_t errors = 0;  // requests left unfinished after a read error
};

// Ends the unfinished requests that cannot continue and returns the ones
// to resume; now_ms is the current Unix time in ms. Call before any actor
// writes to store. Failures are logged and leave the request unfinished.
[[nodiscard]] recovery_result recover_unfinished(storage::event_store& store,
                                                 std::int64_t now_ms);

// Parses the ISO-8601 UTC text of storage::format_utc_timestamp back to
// Unix ms; nullopt for any other text.
[[nodiscard]] std::optional<std::int64_t> parse_utc_timestamp(
    std::string_view text);

}  // namespace gateway

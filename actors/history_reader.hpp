// The history reader: serves history and audit pages and plans replays
// from the event store's indexes, so that HTTP code never touches RocksDB.
// It runs on a thread of its own, beside the event log writer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "gateway/storage/event_store.hpp"

namespace gateway {

using history_atom = caf::atom_constant<caf::atom("history")>;
using audit_atom = caf::atom_constant<caf::atom("audit")>;
using replay_atom = caf::atom_constant<caf::atom("replay")>;

struct history_result {
  std::vector<nlohmann::json> requests;
  std::string next_cursor;
};

struct audit_result {
  std::vector<nlohmann::json> entries;
  std::string next_cursor;
};

// What a replay submits: the original request_accepted data and owner,
// and for the targets "failed" and "no_response" the nodes to address.
struct replay_plan {
  nlohmann::json accepted;  // the data of the request_accepted event
  std::string owner;        // the user who submitted the original
  std::vector<std::string> nodes;
};

// history and audit fail with invalid for a bad cursor or limit. replay
// takes (request id, targets) and fails with not_found for an unknown
// request; targets "failed" selects the senders of replies whose
// statuscode is not 0, and "no_response" the expected nodes without a
// reply.
using history_reader_actor = caf::typed_actor<
    caf::replies_to<history_atom, storage::history_query>::with<
        history_result>,
    caf::replies_to<audit_atom, storage::audit_query>::with<audit_result>,
    caf::replies_to<replay_atom, std::string, std::string>::with<
        replay_plan>>;

history_reader_actor spawn_history_reader(
    caf::actor_system& system,
    std::shared_ptr<const storage::event_store> store);

}  // namespace gateway

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::storage::history_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::storage::audit_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::history_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::audit_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::replay_plan)

// Shared inputs of the micro-benchmarks.
#pragma once

#include <string>

#include "gateway/choria/protocol.hpp"

namespace gateway::bench {

// An RSA-2048 identity named gateway.privileged.choria, issued by a new
// throwaway CA in a temporary folder on first use. Aborts the benchmark
// process if OpenSSL fails. Thread safe.
[[nodiscard]] const choria::signing_identity& bench_identity();

// A typical rpcutil ping envelope from the gateway for user alice.
[[nodiscard]] choria::envelope sample_envelope();

}  // namespace gateway::bench

// Validation of the body of POST /v1/requests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "actors/messages.hpp"
#include "gateway/ddl/ddl_registry.hpp"
#include "gateway/server/settings.hpp"

namespace gateway {

// Parses a submit body into an rpc_request, filling defaults from config.
// When ddls is not null, the action and its inputs are validated against
// the agent's DDL, DDL defaults are filled in, and a request without a
// timeout gets the DDL's timeout plus the discovery timeout. An agent
// without a DDL is rejected unless config.allow_agents_without_ddl.
// On failure returns nullopt and sets *error to a message that names the
// field and what would be valid, for example
// "timeout must be an integer from 1 to 3600". Unknown fields are
// rejected, so that a typo is not silently ignored. Never throws.
std::optional<rpc_request> parse_submit(std::string_view body,
                                        const settings& config,
                                        const ddl::ddl_registry* ddls,
                                        std::string* error);

}  // namespace gateway

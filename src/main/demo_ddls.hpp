// Agent DDLs that `init` writes for the agents the fleet simulator runs,
// in Choria's JSON DDL format.
#pragma once

namespace gateway {

inline constexpr const char* rpcutil_ddl = R"({
  "$schema": "https://choria.io/schemas/mcorpc/ddl/v1/agent.json",
  "metadata": {
    "name": "rpcutil",
    "description": "General helpful actions that expose stats and internals",
    "author": "choria-rest-gateway init",
    "license": "Apache-2.0",
    "version": "1.0.0",
    "url": "https://choria.io",
    "timeout": 2
  },
  "actions": [
    {"action": "ping", "description": "Responds to requests",
     "display": "always", "input": {},
     "output": {"pong": {"description": "The local time", "display_as": "Pong",
                         "type": "integer"}}},
    {"action": "inventory", "description": "System inventory",
     "display": "always", "input": {}, "output": {}},
    {"action": "get_fact", "description": "Retrieve a single fact",
     "display": "always",
     "input": {"fact": {"prompt": "The name of the fact",
                        "description": "The fact to retrieve",
                        "type": "string", "validation": "^[\\w\\-\\.]+$",
                        "maxlength": 512, "optional": false}},
     "output": {}}
  ]
})";

inline constexpr const char* sim_test_ddl = R"({
  "$schema": "https://choria.io/schemas/mcorpc/ddl/v1/agent.json",
  "metadata": {
    "name": "sim_test",
    "description": "The fleet simulator's test agent: a delay and failures",
    "author": "choria-rest-gateway init",
    "license": "Apache-2.0",
    "version": "1.0.0",
    "url": "https://choria.io",
    "timeout": 10
  },
  "actions": [
    {"action": "run", "description": "Waits, then succeeds or fails",
     "display": "always",
     "input": {"message": {"prompt": "Message", "description": "Ignored",
                           "type": "string", "validation": ".",
                           "maxlength": 256, "optional": true}},
     "output": {"message": {"description": "done", "display_as": "Message",
                            "type": "string"}}}
  ]
})";

}  // namespace gateway

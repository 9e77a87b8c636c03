// The OpenAPI 3.1 description of the REST API, docs/openapi.json in the
// source tree, embedded at build time and served at GET /v1/openapi.json.
#pragma once

#include <string_view>

namespace gateway {

// The document's text, valid for the life of the program.
[[nodiscard]] std::string_view openapi_document();

}  // namespace gateway

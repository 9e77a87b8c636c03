// Fuzzes the parser of POST /v1/requests bodies, with the shared agent DDLs
// loaded so that input validation runs too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/server/submit_parser.hpp"

namespace {

const gateway::ddl::ddl_registry& registry() {
  static const gateway::ddl::ddl_registry loaded = [] {
    std::string error;
    auto ddls = gateway::ddl::ddl_registry::load_directory(
        GATEWAY_FUZZ_DDL_DIR, &error);
    return ddls ? std::move(*ddls) : gateway::ddl::ddl_registry{};
  }();
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static const gateway::settings config = [] {
    gateway::settings out;
    out.allow_agents_without_ddl = true;
    out.collectives = {"mcollective", "other"};
    return out;
  }();
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto parsed = gateway::parse_submit(body, config, &registry(), &error);
  if (!parsed && error.empty()) __builtin_trap();  // a rejection names why
  return 0;
}

#include "actors/messages.hpp"

namespace gateway {
namespace {

const caf::atom_value gateway_category = caf::atom("gateway");

}  // namespace

caf::error make_error(gateway_errc code, std::string message) {
  return caf::error{static_cast<std::uint8_t>(code), gateway_category,
                    caf::make_message(std::move(message))};
}

gateway_errc error_code(const caf::error& error) {
  if (error.category() != gateway_category) return gateway_errc::internal;
  return static_cast<gateway_errc>(error.code());
}

std::string error_message(caf::actor_system& system,
                          const caf::error& error) {
  const caf::message& context = error.context();
  if (error.category() == gateway_category && context.size() == 1 &&
      context.match_element<std::string>(0))
    return context.get_as<std::string>(0);
  return system.render(error);
}

}  // namespace gateway

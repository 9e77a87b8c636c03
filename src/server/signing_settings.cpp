// The keys that size request signing: the signer pool and its backlog cap.
#include "gateway/server/settings.hpp"

namespace gateway {

bool settings::read_signing(const config_file& config, settings& out,
                            std::string* error) {
  auto signers = config.get_integer("gateway.signers", 0, error);
  auto backlog =
      config.get_integer("gateway.limits.signing_backlog", 1000, error);
  if (!signers || !backlog) return false;
  if (*signers < 0 || *signers > 256) {
    *error = "gateway.signers must be from 0 (one per core) to 256, got " +
             std::to_string(*signers);
    return false;
  }
  if (*backlog < 0) {
    *error = "gateway.limits.signing_backlog must be 0 (no cap) or more, "
             "got " +
             std::to_string(*backlog);
    return false;
  }
  out.signers = static_cast<std::size_t>(*signers);
  out.signing_backlog = static_cast<std::size_t>(*backlog);
  return true;
}

}  // namespace gateway

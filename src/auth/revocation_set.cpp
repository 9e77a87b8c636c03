#include "gateway/auth/revocation_set.hpp"

#include <algorithm>

namespace gateway::auth {

void revocation_set::revoke(std::string_view jti, std::int64_t expires_at) {
  std::lock_guard lock(mutex_);
  auto [entry, inserted] = expiry_by_jti_.emplace(std::string(jti), expires_at);
  if (!inserted) entry->second = std::max(entry->second, expires_at);
}

bool revocation_set::is_revoked(std::string_view jti) const {
  std::lock_guard lock(mutex_);
  return expiry_by_jti_.find(jti) != expiry_by_jti_.end();
}

std::size_t revocation_set::prune(std::int64_t cutoff) {
  std::lock_guard lock(mutex_);
  return std::erase_if(expiry_by_jti_, [cutoff](const auto& entry) {
    return entry.second < cutoff;
  });
}

std::size_t revocation_set::size() const {
  std::lock_guard lock(mutex_);
  return expiry_by_jti_.size();
}

}  // namespace gateway::auth

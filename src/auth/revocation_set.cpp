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

std::uint64_t revocation_set::user_generation(
    std::string_view username) const {
  std::lock_guard lock(mutex_);
  const auto found = generation_by_user_.find(username);
  return found == generation_by_user_.end() ? 0 : found->second;
}

std::uint64_t revocation_set::advance_user_generation(
    std::string_view username) {
  std::lock_guard lock(mutex_);
  auto [entry, inserted] =
      generation_by_user_.try_emplace(std::string(username), 0);
  return ++entry->second;
}

void revocation_set::raise_user_generation(std::string_view username,
                                           std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  auto [entry, inserted] =
      generation_by_user_.try_emplace(std::string(username), generation);
  if (!inserted) entry->second = std::max(entry->second, generation);
}

}  // namespace gateway::auth

// Token ids (jti) revoked before their expiry, and per-user token
// generations that revoke every older token of a user, kept in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace gateway::auth {

// Thread safe: every member function takes an internal mutex. Not copyable
// or movable.
class revocation_set {
 public:
  revocation_set() = default;
  revocation_set(const revocation_set&) = delete;
  revocation_set& operator=(const revocation_set&) = delete;

  // Records that the token `jti`, which expires at `expires_at` (unix
  // seconds), is revoked. Revoking it again keeps the later expiry.
  void revoke(std::string_view jti, std::int64_t expires_at);

  [[nodiscard]] bool is_revoked(std::string_view jti) const;

  // Forgets tokens with expires_at < cutoff: a token whose expiry passed
  // fails verification anyway, so pass now minus the clock skew. Returns
  // how many entries it removed.
  std::size_t prune(std::int64_t cutoff);

  [[nodiscard]] std::size_t size() const;

  // The token generation of `username`: 0 until a revocation raises it.
  // Tokens carry the generation current when they were issued, and a token
  // with a lower generation than its user's is revoked.
  [[nodiscard]] std::uint64_t user_generation(std::string_view username) const;

  // Raises the generation of `username` by one and returns the new value,
  // which revokes every token issued to the user so far.
  std::uint64_t advance_user_generation(std::string_view username);

  // Raises the generation of `username` to `generation` unless it is
  // already at least that high, for replaying recorded revocations.
  void raise_user_generation(std::string_view username,
                             std::uint64_t generation);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t, std::less<>> expiry_by_jti_;
  std::map<std::string, std::uint64_t, std::less<>> generation_by_user_;
};

}  // namespace gateway::auth

#include "actors/revocation_log.hpp"

#include <map>

namespace gateway {

storage::event token_revocation_event(const std::string& caller,
                                      const std::string& jti,
                                      std::int64_t expires_at,
                                      std::int64_t now_ms) {
  storage::event event;
  event.kind = storage::event_kind::token_revoked;
  event.time_ms = now_ms;
  event.caller = caller;
  event.data = {{"jti", jti}, {"expires_at", expires_at}};
  return event;
}

storage::event user_revocation_event(const std::string& caller,
                                     const std::string& username,
                                     std::uint64_t generation,
                                     std::int64_t now_ms) {
  storage::event event;
  event.kind = storage::event_kind::token_revoked;
  event.time_ms = now_ms;
  event.caller = caller;
  event.data = {{"user", username}, {"generation", generation}};
  return event;
}

std::optional<restored_revocations> restore_revocations(
    storage::event_store& store, auth::token_authority& tokens,
    std::int64_t now, std::string* error) {
  std::string read_error;
  const auto events = store.revocation_events(&read_error);
  if (!read_error.empty()) {
    *error = read_error;
    return std::nullopt;
  }

  restored_revocations result;
  std::vector<std::uint64_t> forget;
  // The latest revocation event of each user; earlier ones are superseded.
  std::map<std::string, std::uint64_t> latest_by_user;
  const auto cutoff = now - tokens.settings().clock_skew_seconds;
  for (const auto& event : events) {
    const auto& data = event.data;
    const auto jti = data.find("jti");
    const auto expires_at = data.find("expires_at");
    if (jti != data.end() && jti->is_string() && expires_at != data.end() &&
        expires_at->is_number_integer()) {
      if (expires_at->get<std::int64_t>() < cutoff) {
        forget.push_back(event.sequence);
        continue;
      }
      tokens.revoke(jti->get<std::string>(), expires_at->get<std::int64_t>());
      ++result.tokens;
      continue;
    }
    const auto user = data.find("user");
    const auto generation = data.find("generation");
    if (user != data.end() && user->is_string() &&
        generation != data.end() && generation->is_number_unsigned()) {
      const auto name = user->get<std::string>();
      tokens.restore_user_revocation(name, generation->get<std::uint64_t>());
      auto [entry, inserted] = latest_by_user.try_emplace(name, event.sequence);
      if (!inserted) {
        forget.push_back(entry->second);
        entry->second = event.sequence;
      }
    }
  }
  result.users = latest_by_user.size();
  result.dropped = forget.size();
  if (auto failed = store.forget_revocations(forget)) {
    *error = *failed;
    return std::nullopt;
  }
  return result;
}

}  // namespace gateway

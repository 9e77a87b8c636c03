#include "actors/api_key_handlers.hpp"

#include <chrono>

#include "gateway/common/log_text.hpp"
#include "gateway/common/logging.hpp"

namespace gateway {
namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The public fields of a key; expires_at only when the key expires.
nlohmann::json describe(const auth::api_key_record& record) {
  nlohmann::json out = {{"id", record.id},
                        {"owner", record.owner},
                        {"name", record.name},
                        {"scope", record.scope},
                        {"created_by", record.created_by},
                        {"created_at", record.created_at}};
  if (record.expires_at != 0) out["expires_at"] = record.expires_at;
  return out;
}

caf::error keys_disabled() {
  return make_error(gateway_errc::unavailable, "API keys are not enabled");
}

}  // namespace

caf::result<identity> verify_api_key(const token_authority_config& config,
                                     const std::string& key) {
  if (!config.api_keys) return keys_disabled();
  const auto* record = config.api_keys->verify(key);
  if (record == nullptr)
    return make_error(gateway_errc::unauthorized,
                      "invalid API key: unknown or revoked");
  if (record->expired(now_seconds())) {
    logger("auth")->info("rejected expired API key {} of {}", record->id,
                         log_safe(record->owner));
    return make_error(gateway_errc::unauthorized,
                      "invalid API key: it expired; an admin creates a new "
                      "one with POST /v1/apikeys");
  }
  const auth::user* owner = config.users->find(record->owner);
  if (owner == nullptr)
    return make_error(gateway_errc::unauthorized,
                      "invalid API key: its owner no longer exists");
  return identity{record->owner, owner->roles, "apikey:" + record->id, 0,
                  record->scope};
}

caf::result<status_record> create_api_key(const token_authority_config& config,
                                          const identity& admin,
                                          const api_key_order& order) {
  if (!config.api_keys) return keys_disabled();
  if (config.users->find(order.owner) == nullptr)
    return make_error(gateway_errc::not_found,
                      "user " + log_safe(order.owner) + " not found");
  std::string error;
  const auto now = now_seconds();
  const auto expires_at = order.expires_in > 0 ? now + order.expires_in : 0;
  auto created =
      config.api_keys->create(order.owner, order.name, order.scope,
                              admin.username, now, expires_at, &error);
  if (!created) {
    logger("auth")->error("creating an API key for {} failed: {}",
                          log_safe(order.owner), error);
    return make_error(gateway_errc::invalid, error);
  }
  logger("auth")->info("{} created API key {} for {}",
                       log_safe(admin.username), created->record.id,
                       log_safe(order.owner));
  auto body = describe(created->record);
  body["key"] = created->key;
  return status_record{std::move(body)};
}

std::size_t revoke_api_keys_of(const token_authority_config& config,
                               const std::string& owner, std::string* error) {
  if (!config.api_keys) return 0;
  const auto removed = config.api_keys->revoke_owner(owner, error);
  if (!error->empty())
    logger("auth")->error(
        "the API keys of {} are revoked in memory, but writing the API key "
        "file failed: {}",
        log_safe(owner), *error);
  return removed;
}

status_record list_api_keys(const token_authority_config& config) {
  nlohmann::json keys = nlohmann::json::array();
  if (config.api_keys)
    for (const auto& record : config.api_keys->list())
      keys.push_back(describe(record));
  return status_record{{{"api_keys", std::move(keys)}}};
}

caf::result<bool> revoke_api_key(const token_authority_config& config,
                                 const identity& admin,
                                 const std::string& id) {
  if (!config.api_keys) return keys_disabled();
  std::string error;
  if (config.api_keys->revoke(id, &error)) {
    logger("auth")->info("{} revoked API key {}", log_safe(admin.username),
                         log_safe(id));
    return true;
  }
  if (!error.empty()) {
    logger("auth")->error("revoking API key {} failed: {}", log_safe(id),
                          error);
    return make_error(gateway_errc::storage_failed,
                      "the API key file could not be written");
  }
  return make_error(gateway_errc::not_found,
                    "API key " + log_safe(id) + " not found");
}

}  // namespace gateway

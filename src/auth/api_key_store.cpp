#include "gateway/auth/api_key_store.hpp"

#include <nlohmann/json.hpp>

#include "gateway/choria/pki.hpp"
#include "gateway/common/encoding.hpp"
#include "src/auth/json_file.hpp"

namespace gateway::auth {
namespace {

using nlohmann::json;

constexpr std::string_view key_prefix = "cgw_";
constexpr std::size_t id_digits = 16;
constexpr std::size_t secret_characters = 43;  // 32 bytes in base64url

json to_json(const api_key_record& record) {
  return {{"id", record.id},
          {"owner", record.owner},
          {"name", record.name},
          {"scope", record.scope},
          {"created_by", record.created_by},
          {"created_at", record.created_at},
          {"expires_at", record.expires_at},
          {"key_hash", record.key_hash}};
}

std::optional<api_key_record> from_json(const json& item) {
  api_key_record record;
  try {
    record.id = item.at("id").get<std::string>();
    record.owner = item.at("owner").get<std::string>();
    record.name = item.at("name").get<std::string>();
    record.scope = item.at("scope").get<std::vector<std::string>>();
    record.created_by = item.at("created_by").get<std::string>();
    record.created_at = item.at("created_at").get<std::int64_t>();
    record.expires_at = item.value("expires_at", std::int64_t{0});
    record.key_hash = item.at("key_hash").get<std::string>();
  } catch (const json::exception&) {
    return std::nullopt;
  }
  if (record.id.size() != id_digits || record.key_hash.size() != 64 ||
      record.scope.empty() || record.expires_at < 0)
    return std::nullopt;
  return record;
}

std::string id_of(std::string_view key) {
  return std::string(key.substr(key_prefix.size(), id_digits));
}

}  // namespace

bool pattern_covers(const acl_pattern& outer, const acl_pattern& inner) {
  // Patterns are agent.action with "*" for any; the texts are canonical
  // enough to split at the dot, and "*" alone means "*.*".
  auto split = [](const std::string& text) {
    if (text == "*") return std::pair<std::string, std::string>{"*", "*"};
    const auto dot = text.find('.');
    return std::pair{text.substr(0, dot), text.substr(dot + 1)};
  };
  const auto [outer_agent, outer_action] = split(outer.text());
  const auto [inner_agent, inner_action] = split(inner.text());
  return (outer_agent == "*" || outer_agent == inner_agent) &&
         (outer_action == "*" || outer_action == inner_action);
}

api_key_store::api_key_store(std::filesystem::path path)
    : path_(std::move(path)) {}

bool api_key_store::is_api_key(std::string_view credential) {
  return credential.size() == key_prefix.size() + id_digits + 1 +
                                  secret_characters &&
         credential.substr(0, key_prefix.size()) == key_prefix &&
         credential[key_prefix.size() + id_digits] == '_';
}

std::optional<api_key_store> api_key_store::open(std::filesystem::path path,
                                                 std::string* error) {
  api_key_store store(path);
  std::error_code code;
  if (!std::filesystem::exists(path, code)) return store;
  auto document = read_json_file(path, "API key file", error);
  if (!document) return std::nullopt;
  if (!document->is_array()) {
    *error = "API key file " + path.string() + ": must be a JSON array";
    return std::nullopt;
  }
  for (std::size_t i = 0; i < document->size(); ++i) {
    auto record = from_json((*document)[i]);
    if (!record) {
      *error = "API key file " + path.string() + ": entry " +
               std::to_string(i) + " is invalid";
      return std::nullopt;
    }
    store.keys_.emplace(record->id, std::move(*record));
  }
  return store;
}

bool api_key_store::save(const std::map<std::string, api_key_record>& keys,
                         std::string* error) const {
  json document = json::array();
  for (const auto& [id, record] : keys) document.push_back(to_json(record));
  return pki::write_file(path_.string(), document.dump(2) + "\n", 0600, error);
}

std::optional<created_api_key> api_key_store::create(
    const std::string& owner, const std::string& name,
    const std::vector<std::string>& scope, const std::string& created_by,
    std::int64_t now, std::string* error) {
  return create(owner, name, scope, created_by, now, 0, error);
}

std::optional<created_api_key> api_key_store::create(
    const std::string& owner, const std::string& name,
    const std::vector<std::string>& scope, const std::string& created_by,
    std::int64_t now, std::int64_t expires_at, std::string* error) {
  if (expires_at != 0 && expires_at <= now) {
    *error = "the expiry must be later than the creation time";
    return std::nullopt;
  }
  if (scope.empty()) {
    *error = "scope must list at least one agent.action pattern";
    return std::nullopt;
  }
  for (const auto& pattern : scope) {
    if (acl_pattern::parse(pattern)) continue;
    *error = "scope has invalid pattern " + json(pattern).dump() + ": " +
             std::string(acl_pattern_syntax);
    return std::nullopt;
  }

  created_api_key created;
  auto& record = created.record;
  do {
    record.id = hex_encode(random_bytes(id_digits / 2));
  } while (keys_.count(record.id) != 0);
  created.key = std::string(key_prefix) + record.id + "_" +
                base64url_encode(random_bytes(32));
  record.owner = owner;
  record.name = name;
  record.scope = scope;
  record.created_by = created_by;
  record.created_at = now;
  record.expires_at = expires_at;
  record.key_hash = hex_encode(sha256(created.key));

  std::map<std::string, api_key_record> next(keys_.begin(), keys_.end());
  next.emplace(record.id, record);
  if (!save(next, error)) return std::nullopt;
  keys_.emplace(record.id, record);
  return created;
}

const api_key_record* api_key_store::verify(std::string_view key) const {
  if (!is_api_key(key)) return nullptr;
  const auto found = keys_.find(id_of(key));
  if (found == keys_.end()) return nullptr;
  const auto hash = hex_encode(sha256(key));
  if (!constant_time_equal(hash, found->second.key_hash)) return nullptr;
  return &found->second;
}

bool api_key_store::revoke(std::string_view id, std::string* error) {
  const auto found = keys_.find(id);
  if (found == keys_.end()) return false;
  std::map<std::string, api_key_record> next(keys_.begin(), keys_.end());
  next.erase(std::string(id));
  if (!save(next, error)) return false;
  keys_.erase(found);
  return true;
}

std::size_t api_key_store::revoke_owner(std::string_view owner,
                                        std::string* error) {
  std::size_t removed = 0;
  for (auto entry = keys_.begin(); entry != keys_.end();) {
    if (entry->second.owner != owner) {
      ++entry;
      continue;
    }
    entry = keys_.erase(entry);
    ++removed;
  }
  if (removed == 0) return 0;
  (void)save({keys_.begin(), keys_.end()}, error);
  return removed;
}

std::vector<api_key_record> api_key_store::list() const {
  std::vector<api_key_record> out;
  for (const auto& [id, record] : keys_) out.push_back(record);
  return out;
}

}  // namespace gateway::auth

// API keys for automation: long-lived bearer credentials that an admin
// creates for a user, limited to a scope of agent.action patterns.
//
// A key reads "cgw_<id>_<secret>": a 16-hex-digit id and 43 base64url
// characters of a 256-bit random secret. Only the SHA-256 of the whole key
// is stored, in a JSON file written atomically with mode 0600. A salted
// slow hash is not needed because the key has 256 bits of entropy, so the
// hash cannot be reversed by guessing. The key is shown once, at creation.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/auth/acl_pattern.hpp"

namespace gateway::auth {

struct api_key_record {
  std::string id;          // 16 lowercase hex digits
  std::string owner;       // the user the key acts as
  std::string name;        // what the admin called it, for listings
  std::vector<std::string> scope;  // acl patterns, never empty
  std::string created_by;  // the admin who created it
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t expires_at = 0;  // unix seconds; 0 when it never expires
  std::string key_hash;    // hex SHA-256 of the whole key

  // Whether the key has expired at now (unix seconds).
  [[nodiscard]] bool expired(std::int64_t now) const {
    return expires_at != 0 && now >= expires_at;
  }
};

struct created_api_key {
  std::string key;  // the only copy of the secret
  api_key_record record;
};

// Not thread safe: the token authority actor owns one.
class api_key_store {
 public:
  // Reads the store file, or starts empty when it does not exist. Returns
  // nullopt and sets *error when the file cannot be read or is invalid.
  [[nodiscard]] static std::optional<api_key_store> open(
      std::filesystem::path path, std::string* error);

  // Creates a key and writes the file before returning it. Returns nullopt
  // and sets *error when a scope pattern is invalid, the scope is empty,
  // or the file cannot be written; then nothing changes.
  [[nodiscard]] std::optional<created_api_key> create(
      const std::string& owner, const std::string& name,
      const std::vector<std::string>& scope, const std::string& created_by,
      std::int64_t now, std::string* error);
  // The same for a key that expires at expires_at (unix seconds, 0 for
  // never).
  [[nodiscard]] std::optional<created_api_key> create(
      const std::string& owner, const std::string& name,
      const std::vector<std::string>& scope, const std::string& created_by,
      std::int64_t now, std::int64_t expires_at, std::string* error);

  // The record of a known key, or nullptr. The hash is compared in
  // constant time. The record may have expired, which the caller checks.
  // The pointer is valid until the next create or revoke.
  [[nodiscard]] const api_key_record* verify(std::string_view key) const;

  // Deletes the key with this id and writes the file. Returns false when
  // there is no such key, and also sets *error when writing failed.
  [[nodiscard]] bool revoke(std::string_view id, std::string* error);

  // Deletes every key of owner and writes the file. Returns how many were
  // deleted. When writing fails it sets *error, and the keys stay deleted
  // in memory, so they are rejected until a restart reads the old file.
  std::size_t revoke_owner(std::string_view owner, std::string* error);

  [[nodiscard]] std::vector<api_key_record> list() const;

  // Whether a bearer credential has the shape of an API key rather than a
  // JWT; it may still be invalid.
  [[nodiscard]] static bool is_api_key(std::string_view credential);

 private:
  explicit api_key_store(std::filesystem::path path);
  [[nodiscard]] bool save(const std::map<std::string, api_key_record>& keys,
                          std::string* error) const;

  std::filesystem::path path_;
  std::map<std::string, api_key_record, std::less<>> keys_;  // by id
};

// Whether every call `inner` allows is also allowed by `outer`.
[[nodiscard]] bool pattern_covers(const acl_pattern& outer,
                                  const acl_pattern& inner);

}  // namespace gateway::auth

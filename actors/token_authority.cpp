#include "actors/token_authority.hpp"

#include <chrono>

#include "actors/api_key_handlers.hpp"
#include "actors/revocation_log.hpp"
#include "gateway/auth/login.hpp"
#include "gateway/common/log_text.hpp"
#include "gateway/common/logging.hpp"

namespace gateway {
namespace {

using password_check_actor = caf::typed_actor<
    caf::replies_to<verify_atom, std::string, std::string>::with<bool>>;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Checks passwords one at a time on a thread of its own.
password_check_actor::behavior_type password_check(
    password_check_actor::pointer,
    std::shared_ptr<const auth::user_directory> users) {
  return {
      [users](verify_atom, const std::string& username,
              const std::string& password) {
        return auth::verify_login(users->find(username), password);
      },
  };
}

// Password checkers that logins take in turn. A fixed number, so that a
// flood of logins queues instead of starting a thread per login.
struct password_checkers {
  std::vector<password_check_actor> workers;
  std::size_t next = 0;

  password_check_actor& pick() { return workers[next++ % workers.size()]; }
};

constexpr std::size_t password_check_threads = 2;

void record_login(event_log_actor& event_log, const std::string& username,
                  const std::string& address, bool succeeded) {
  storage::event event;
  event.kind = succeeded ? storage::event_kind::login_succeeded
                         : storage::event_kind::login_failed;
  event.time_ms = now_seconds() * 1000;
  event.caller = username;
  event.data = {{"address", address}};
  caf::anon_send(event_log, append_atom::value,
                 std::vector<storage::event>{std::move(event)});
}

// Appends a revocation and delivers its sequence once it is durable. The
// revocation is already in force in memory, so a failed append only means
// that it would not survive a restart; the caller is told with an error.
// A non-empty unsaved_part names another part of the revocation that
// could not be saved, and is delivered as an error after the append.
void persist_revocation(token_authority_actor::pointer self,
                        const event_log_actor& event_log, storage::event event,
                        caf::typed_response_promise<std::uint64_t> promise,
                        std::string unsaved_part = {}) {
  self->request(event_log, caf::infinite, append_atom::value,
                std::vector<storage::event>{std::move(event)})
      .then(
          [promise, unsaved_part](std::uint64_t sequence) mutable {
            if (unsaved_part.empty()) {
              promise.deliver(sequence);
              return;
            }
            promise.deliver(
                make_error(gateway_errc::storage_failed,
                           "the revocation is in force but " + unsaved_part +
                               " could not be saved, so it would not survive a "
                               "restart"));
          },
          [promise](const caf::error&) mutable {
            logger("auth")->error(
                "a token revocation could not be written to the event log");
            promise.deliver(make_error(
                gateway_errc::storage_failed,
                "the revocation is in force but could not be recorded, so "
                "it would not survive a restart"));
          });
}

}  // namespace

token_authority_actor::behavior_type token_authority(
    token_authority_actor::pointer self, token_authority_config config) {
  auto checkers = std::make_shared<password_checkers>();
  for (std::size_t i = 0; i < password_check_threads; ++i) {
    auto worker =
        self->system().spawn<caf::detached>(password_check, config.users);
    self->link_to(worker);
    checkers->workers.push_back(worker);
  }
  auto throttle = std::make_shared<auth::login_throttle>(config.throttle);
  return {
      [self, config, checkers, throttle](
          login_atom, const std::string& username, const std::string& password,
          const std::string& address) -> caf::result<login_grant> {
        const auto wait = throttle->admit(username, address, now_seconds());
        if (wait > 0) {
          logger("auth")->debug("throttled login for {} from {}",
                                log_safe(username), address);
          return login_grant{"", 0, wait};
        }
        auto promise = self->make_response_promise<login_grant>();
        self->request(checkers->pick(), caf::infinite, verify_atom::value,
                      username, password)
            .then([config, promise, username, address,
                   throttle](bool valid) mutable {
              auto event_log = config.event_log;
              record_login(event_log, username, address, valid);
              config.metrics->logins.count_login(valid);
              if (valid) throttle->succeeded(username, address);
              if (!valid) {
                logger("auth")->info("failed login for {} from {}",
                                     log_safe(username), address);
                promise.deliver(make_error(gateway_errc::unauthorized,
                                           "invalid username or password"));
                return;
              }
              auto issued = config.tokens->issue(username, now_seconds());
              logger("auth")->info("login of {} from {}", log_safe(username),
                                   address);
              promise.deliver(
                  login_grant{issued.token, issued.expires_at, 0});
            });
        return promise;
      },
      [config](verify_atom,
               const std::string& token) -> caf::result<identity> {
        if (auth::api_key_store::is_api_key(token))
          return verify_api_key(config, token);
        auto verified = config.tokens->verify(token, now_seconds());
        if (!verified)
          return make_error(gateway_errc::unauthorized,
                            "invalid token: " + verified.message());
        const auto& claims = verified.claims();
        const auth::user* user = config.users->find(claims.subject);
        if (user == nullptr)
          return make_error(gateway_errc::unauthorized,
                            "invalid token: the user no longer exists");
        return identity{claims.subject, user->roles, claims.jti,
                        claims.expires_at};
      },
      [config](key_create_atom, const identity& admin,
               const api_key_order& order) {
        return create_api_key(config, admin, order);
      },
      [config](key_list_atom) { return list_api_keys(config); },
      [config](key_revoke_atom, const identity& admin, const std::string& id) {
        return revoke_api_key(config, admin, id);
      },
      [self, config](logout_atom,
                     const identity& caller) -> caf::result<std::uint64_t> {
        if (!caller.scope.empty())
          return make_error(gateway_errc::invalid,
                            "an API key cannot log out; an admin revokes it "
                            "with DELETE /v1/apikeys/{id}");
        config.tokens->revoke(caller.token_id, caller.expires_at);
        logger("auth")->info("logout of {}", log_safe(caller.username));
        auto promise = self->make_response_promise<std::uint64_t>();
        persist_revocation(self, config.event_log,
                           token_revocation_event(caller.username,
                                                  caller.token_id,
                                                  caller.expires_at,
                                                  now_seconds() * 1000),
                           promise);
        return promise;
      },
      [self, config](revoke_atom, const identity& caller,
                     const std::string& username)
          -> caf::result<std::uint64_t> {
        if (config.users->find(username) == nullptr)
          return make_error(gateway_errc::not_found,
                            "user " + log_safe(username) + " not found");
        const auto generation = config.tokens->revoke_user(username);
        std::string key_error;
        const auto keys = revoke_api_keys_of(config, username, &key_error);
        logger("auth")->info("{} revoked every token and {} API keys of {}",
                             log_safe(caller.username), keys,
                             log_safe(username));
        auto promise = self->make_response_promise<std::uint64_t>();
        persist_revocation(
            self, config.event_log,
            user_revocation_event(caller.username, username, generation,
                                  now_seconds() * 1000),
            promise, key_error.empty() ? "" : "the API key file");
        return promise;
      },
  };
}

}  // namespace gateway

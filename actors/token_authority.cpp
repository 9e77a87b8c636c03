#include "actors/token_authority.hpp"

#include <chrono>

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
  return {
      [self, config, checkers](login_atom, const std::string& username,
                     const std::string& password,
                     const std::string& address) -> caf::result<login_grant> {
        auto promise = self->make_response_promise<login_grant>();
        self->request(checkers->pick(), caf::infinite, verify_atom::value, username,
                      password)
            .then([config, promise, username, address](bool valid) mutable {
              auto event_log = config.event_log;
              record_login(event_log, username, address, valid);
              config.metrics->logins.count_login(valid);
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
              promise.deliver(login_grant{issued.token, issued.expires_at});
            });
        return promise;
      },
      [config](verify_atom,
               const std::string& token) -> caf::result<identity> {
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
  };
}

}  // namespace gateway

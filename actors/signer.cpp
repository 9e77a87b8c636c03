#include "actors/signer.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include "gateway/common/encoding.hpp"

namespace gateway {

signed_message sign_order(const signer_config& config,
                          const signing_order& order, std::int64_t now) {
  std::string caller_id = config.callerid_format;
  caller_id.replace(caller_id.find("{user}"), 6, order.caller_username);

  choria::envelope env;
  env.request_id = order.request_id;
  env.sender_id = config.sender_id;
  env.caller_id = caller_id;
  env.collective = order.collective;
  env.agent = order.agent;
  env.ttl = order.ttl_seconds;
  env.time = now;
  env.target = order.target;

  auto rpc_body =
      order.discovery
          ? base64_encode("ping")
          : choria::encode_rpc_body(order.agent, order.action, caller_id,
                                    order.data);
  auto request_text = choria::encode_request(env, rpc_body);
  auto secure_text =
      choria::encode_secure_request(request_text, *config.identity);
  choria::transport_headers headers;
  headers.reply_to = choria::reply_subject(
      order.collective, config.identity->certname(), order.request_id);
  headers.mc_sender = config.sender_id;
  return {order.request_id, choria::encode_transport(secure_text, headers)};
}

signer_actor::behavior_type signer(signer_actor::pointer self,
                                   signer_config config) {
  return {
      [config](sign_atom, const signing_order& order) {
        auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        auto start = std::chrono::steady_clock::now();
        auto message = sign_order(config, order, now);
        if (config.backlog) config.backlog->fetch_sub(1);
        config.metrics->rpc.signing_duration->Observe(
            std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                          start)
                .count());
        return message;
      },
  };
}

namespace {

signer_actor::behavior_type signer_pool(signer_actor::pointer self,
                                        signer_config config,
                                        std::size_t count) {
  std::vector<signer_actor> workers;
  for (std::size_t i = 0; i < std::max<std::size_t>(count, 1); ++i)
    workers.push_back(self->spawn<caf::linked>(signer, config));
  auto next = std::make_shared<std::size_t>(0);
  return {
      [self, config, workers, next](
          sign_atom atom,
          const signing_order& order) -> caf::delegated<signed_message> {
        if (config.backlog) config.backlog->fetch_add(1);
        const auto& worker = workers[(*next)++ % workers.size()];
        return self->delegate(worker, atom, order);
      },
  };
}

}  // namespace

signer_actor spawn_signer_pool(caf::actor_system& system,
                               const signer_config& config,
                               std::size_t count) {
  return system.spawn(signer_pool, config, count);
}

}  // namespace gateway

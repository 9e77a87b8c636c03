// `choria-rest-gateway reindex`: rebuilds every read model and index of
// the event log from its events, with the gateway stopped.
#include <chrono>
#include <iostream>

#include "gateway/server/settings.hpp"
#include "gateway/storage/event_store.hpp"
#include "src/main/commands.hpp"

namespace gateway {

int run_reindex(const std::string& config_path) {
  std::string error;
  auto config = settings::load(config_path, &error);
  if (!config) {
    std::cerr << "reindex: " << error << "\n";
    return 2;
  }
  storage::event_store_options options;
  options.create_if_missing = false;
  auto store = storage::event_store::open(config->data_dir, options, &error);
  if (!store) {
    std::cerr << "reindex: " << error
              << "\nreindex needs the gateway stopped, because only one "
                 "process may open the event log\n";
    return 2;
  }

  auto started = std::chrono::steady_clock::now();
  if (auto failure = store->rebuild_read_models()) {
    std::cerr << "reindex: " << *failure
              << "\nthe read models are incomplete; run reindex again\n";
    return 1;
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  std::cout << "rebuilt the read models of " << store->request_count()
            << " requests from " << store->last_sequence() << " events in "
            << elapsed.count() << " ms\n";
  return 0;
}

}  // namespace gateway

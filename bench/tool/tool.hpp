// Subcommands of bench_tool, the helper that bench/run drives. Each one
// prints a single JSON object on standard output and returns the process
// exit code: 0 on success, 1 with a message on standard error otherwise.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace gateway::bench {

// Writes records into a new RocksDB database with default options, one
// WriteBatch per batch_size records and WriteOptions::sync = sync, once
// for every batch size. A record is one Put per entry of value_sizes, each
// into its own column family, as the gateway writes an event and a reply.
struct raw_rocksdb_options {
  std::string dir;  // parent folder; a subfolder per batch size
  std::size_t records = 10'000;
  std::vector<std::size_t> value_sizes{400, 200};
  std::vector<std::size_t> batch_sizes{1, 16, 256};
  bool sync = true;
};
int run_raw_rocksdb(const raw_rocksdb_options& options);

// Stores one request of caller with replies replies through event_store,
// as the collector would, and prints its id and the cursors of the pages
// that start at the first, middle and last-but-page_size reply.
struct fill_replies_options {
  std::string dir;
  std::string caller = "admin";
  std::size_t replies = 100'000;
  std::size_t page_size = 100;
};
int run_fill_replies(const fill_replies_options& options);

// Stores requests requests, each accepted, published to one node, answered
// and completed, spread over a few callers and agents one second apart.
struct fill_requests_options {
  std::string dir;
  std::size_t requests = 1'000'000;
  std::size_t batch = 1'000;  // requests per append
};
int run_fill_requests(const fill_requests_options& options);

// Times event_store::replies for pages of page_size at each cursor in
// turn, iterations times per cursor after a warm-up, and then the status
// read that the HTTP route makes before every page.
struct page_latency_options {
  std::string dir;
  std::string request_id;
  std::vector<std::string> names;  // one per cursor, e.g. start middle end
  std::vector<std::string> cursors;
  std::size_t page_size = 100;
  std::size_t iterations = 2'000;
};
int run_page_latency(const page_latency_options& options);

// NATS connection settings shared by blast and observe.
struct nats_settings {
  std::string url;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
};

// Waits until the gateway has published count direct requests on
// <collective>.node.>, then publishes count correct replies to the first
// one's reply subject, from nodes named by name_format (printf, argument
// the index from 1). Waiting keeps the gateway's publishing out of the
// measured ingestion.
struct blast_options {
  nats_settings nats;
  std::string collective = "mcollective";
  std::string name_format = "bench-%05zu.example.net";  // printf format
  std::size_t count = 10'000;
  double wait_seconds = 60;
  std::string ready_file;  // written once subscribed
};
int run_blast(const blast_options& options);

// Records when the broadcast requests of agent pass through NATS and when
// each request's replies do, until one request has expect replies or
// wait_seconds pass.
struct observe_options {
  nats_settings nats;
  std::string collective = "mcollective";
  std::string agent = "rpcutil";
  std::size_t expect = 10'000;
  double wait_seconds = 120;
  std::string ready_file;  // written once subscribed
};
int run_observe(const observe_options& options);

}  // namespace gateway::bench

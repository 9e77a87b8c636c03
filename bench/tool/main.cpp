// bench_tool: the measuring helpers that bench/run drives. Every
// subcommand prints one JSON object on standard output.
#include <CLI/CLI.hpp>

#include "bench/tool/tool.hpp"

namespace {

using namespace gateway::bench;

void add_nats_options(CLI::App& command, nats_settings& nats) {
  command.add_option("--nats", nats.url, "NATS URL, e.g. tls://127.0.0.1:4222")
      ->required();
  command.add_option("--tls-cert", nats.tls_cert, "client certificate (PEM)");
  command.add_option("--tls-key", nats.tls_key, "key of --tls-cert (PEM)");
  command.add_option("--tls-ca", nats.tls_ca, "CA that verifies the server");
}

struct all_options {
  raw_rocksdb_options raw;
  fill_replies_options replies;
  fill_requests_options requests;
  page_latency_options pages;
  blast_options blast;
  observe_options observe;
};

void add_storage_commands(CLI::App& app, all_options& o) {
  auto* raw = app.add_subcommand("raw-rocksdb", "raw RocksDB write rate");
  raw->add_option("--dir", o.raw.dir, "scratch folder")->required();
  raw->add_option("--records", o.raw.records, "records to write");
  raw->add_option("--value-sizes", o.raw.value_sizes,
                  "bytes of each Put of a record, one column family each")
      ->delimiter(',');
  raw->add_option("--batches", o.raw.batch_sizes, "records per WriteBatch")
      ->delimiter(',');
  raw->add_option("--sync", o.raw.sync, "fsync every write (true or false)");

  auto* replies =
      app.add_subcommand("fill-replies", "store one request with many replies");
  replies->add_option("--dir", o.replies.dir, "event store folder")->required();
  replies->add_option("--replies", o.replies.replies, "replies to store")
      ->check(CLI::Range(200, 100'000'000));
  replies->add_option("--caller", o.replies.caller, "owner of the request");

  auto* requests =
      app.add_subcommand("fill-requests", "store many finished requests");
  requests->add_option("--dir", o.requests.dir, "event store folder")
      ->required();
  requests->add_option("--requests", o.requests.requests, "requests to store")
      ->check(CLI::Range(1, 100'000'000));

  auto* pages =
      app.add_subcommand("page-latency", "time reply pages in the event store");
  pages->add_option("--dir", o.pages.dir, "event store folder")->required();
  pages->add_option("--request-id", o.pages.request_id, "request")->required();
  pages->add_option("--name", o.pages.names, "position name, per cursor");
  pages->add_option("--cursor", o.pages.cursors,
                    "cursor; an empty string is the first page");
  pages->add_option("--iterations", o.pages.iterations, "pages per cursor")
      ->check(CLI::Range(1, 10'000'000));
}

void add_nats_commands(CLI::App& app, all_options& o) {
  auto* blast = app.add_subcommand(
      "blast", "answer the gateway's first direct request from many nodes");
  add_nats_options(*blast, o.blast.nats);
  blast->add_option("--count", o.blast.count, "replies to publish")
      ->check(CLI::Range(1, 10'000'000));
  blast
      ->add_option("--name-format", o.blast.name_format,
                   "printf format of node names, argument the index from 1")
      ->capture_default_str();
  blast->add_option("--wait", o.blast.wait_seconds,
                    "seconds to wait for the request");
  blast->add_option("--ready-file", o.blast.ready_file,
                    "written once subscribed");

  auto* observe =
      app.add_subcommand("observe", "time a broadcast and its replies");
  add_nats_options(*observe, o.observe.nats);
  observe->add_option("--agent", o.observe.agent, "agent of the broadcast");
  observe->add_option("--expect", o.observe.expect,
                      "stop once one request has this many replies");
  observe->add_option("--wait", o.observe.wait_seconds,
                      "seconds to wait at most");
  observe->add_option("--ready-file", o.observe.ready_file,
                      "written once subscribed");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Measuring helpers for bench/run; each prints JSON."};
  app.require_subcommand(1);
  all_options o;
  o.blast.name_format = "bench-%05zu.example.net";
  add_storage_commands(app, o);
  add_nats_commands(app, o);
  CLI11_PARSE(app, argc, argv);

  if (app.got_subcommand("raw-rocksdb")) return run_raw_rocksdb(o.raw);
  if (app.got_subcommand("fill-replies")) return run_fill_replies(o.replies);
  if (app.got_subcommand("fill-requests")) return run_fill_requests(o.requests);
  if (app.got_subcommand("page-latency")) return run_page_latency(o.pages);
  if (app.got_subcommand("blast")) return run_blast(o.blast);
  return run_observe(o.observe);
}

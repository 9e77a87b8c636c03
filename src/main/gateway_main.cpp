// choria-rest-gateway: the server and its maintenance commands.
#include <CLI/CLI.hpp>

#include <iostream>

#include "src/main/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "choria-rest-gateway: a REST gateway for Choria and MCollective fleets"};
  app.set_version_flag("--version", GATEWAY_VERSION);
  app.require_subcommand(0, 1);

  std::string config_path = "/etc/choria-rest-gateway/gateway.conf";
  auto* serve = app.add_subcommand(
      "serve", "Run the gateway (the default when no subcommand is given)");
  for (auto* target : {&app, serve})
    target->add_option("-c,--config", config_path,
                       "Configuration file (key = value lines)")
        ->capture_default_str();

  gateway::init_options init;
  auto* init_command = app.add_subcommand(
      "init",
      "Write a local set-up: a throwaway CA, certificates, users, policy "
      "and configuration, then print the login details");
  init_command->add_option("--dir", init.dir, "Folder to write into")
      ->required();
  init_command
      ->add_option("--listen", init.listen,
                   "ADDRESS:PORT the gateway will listen on")
      ->capture_default_str();
  init_command
      ->add_option("--broker", init.broker,
                   "HOST:PORT of the NATS broker (a nats-server.conf for it "
                   "is written too)")
      ->capture_default_str();
  init_command->add_option("--admin", init.admin_user, "Name of the admin user")
      ->capture_default_str();
  init_command->add_flag("--force", init.force,
                         "Overwrite an existing set-up in the folder");
  init_command->add_flag(
      "--plain-http", init.plain_http,
      "Serve plain HTTP (gateway.listen_plain_http = true) instead of HTTPS "
      "with a certificate issued by the throwaway CA");

  int cost = 12;
  auto* hash = app.add_subcommand(
      "hash-password",
      "Read a password from standard input and print its bcrypt hash for "
      "the users file");
  hash->add_option("--cost", cost, "bcrypt cost, from 4 to 31")
      ->capture_default_str();

  auto* reindex = app.add_subcommand(
      "reindex",
      "Rebuild every index and read model of the event log from its events; "
      "stop the gateway first");
  reindex->add_option("-c,--config", config_path,
                      "Configuration file (key = value lines)")
      ->capture_default_str();
  std::string backup_dir;
  auto* backup = app.add_subcommand(
      "backup",
      "Write an online checkpoint of the event store to a new folder; "
      "works while the gateway runs");
  backup->add_option("--to", backup_dir, "Folder to create for the backup")
      ->required();

  std::uint64_t since = 0;
  auto* export_command = app.add_subcommand(
      "export",
      "Write the events of the event store to standard output as JSON "
      "lines; works while the gateway runs");
  export_command
      ->add_option("--since", since, "First event sequence to write")
      ->capture_default_str();
  for (auto* target : {backup, export_command})
    target->add_option("-c,--config", config_path,
                       "Configuration file naming gateway.data_dir")
        ->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (init_command->parsed()) return gateway::run_init(init);
  if (hash->parsed()) return gateway::run_hash_password(cost);
  if (reindex->parsed()) return gateway::run_reindex(config_path);
  if (backup->parsed()) return gateway::run_backup(config_path, backup_dir);
  if (export_command->parsed()) return gateway::run_export(config_path, since);
  return gateway::run_serve(config_path);
}

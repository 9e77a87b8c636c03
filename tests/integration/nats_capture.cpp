#include "nats_capture.hpp"

#include <fstream>
#include <regex>

namespace gateway::integration {

int broker_port_of(const gateway_stack& stack) {
  std::ifstream file(stack.setup_file("nats-server.conf"));
  std::string line;
  std::smatch match;
  static const std::regex port_line(R"(^\s*port:\s*(\d+)\s*$)");
  while (std::getline(file, line))
    if (std::regex_match(line, match, port_line))
      return std::stoi(match[1].str());
  return 0;
}

std::unique_ptr<nats_capture> nats_capture::connect(
    const std::string& url, const std::string& ca_file,
    const std::string& certificate_file, const std::string& key_file,
    std::string* error) {
  natsOptions* options = nullptr;
  natsStatus status = natsOptions_Create(&options);
  if (status == NATS_OK) status = natsOptions_SetURL(options, url.c_str());
  if (status == NATS_OK) status = natsOptions_SetSecure(options, true);
  if (status == NATS_OK)
    status = natsOptions_LoadCATrustedCertificates(options, ca_file.c_str());
  if (status == NATS_OK)
    status = natsOptions_LoadCertificatesChain(
        options, certificate_file.c_str(), key_file.c_str());
  if (status == NATS_OK) status = natsOptions_SetMaxReconnect(options, -1);
  if (status == NATS_OK) status = natsOptions_SetReconnectWait(options, 200);

  std::unique_ptr<nats_capture> capture(new nats_capture());
  if (status == NATS_OK)
    status = natsConnection_Connect(&capture->connection_, options);
  natsOptions_Destroy(options);
  if (status != NATS_OK) {
    const char* detail = nats_GetLastError(nullptr);
    *error = "cannot connect to " + url + ": " + natsStatus_GetText(status) +
             (detail != nullptr ? std::string(": ") + detail : "");
    return nullptr;
  }
  return capture;
}

std::unique_ptr<nats_capture> nats_capture::connect_to(
    const gateway_stack& stack, std::string* error) {
  return connect("tls://127.0.0.1:" + std::to_string(broker_port_of(stack)),
                 stack.setup_file("ca.pem"), stack.setup_file("fleet-sim.pem"),
                 stack.setup_file("fleet-sim-key.pem"), error);
}

// NOTE: nats_Close() is never called, because closing the library frees
// OpenSSL state that is freed again at process exit.
nats_capture::~nats_capture() {
  for (auto* subscription : subscriptions_)
    natsSubscription_Destroy(subscription);
  if (connection_ != nullptr) {
    natsConnection_Close(connection_);
    natsConnection_Destroy(connection_);
  }
}

void nats_capture::on_message(natsConnection*, natsSubscription*,
                              natsMsg* message, void* closure) {
  auto* self = static_cast<nats_capture*>(closure);
  captured_message copy{
      natsMsg_GetSubject(message),
      std::string(natsMsg_GetData(message),
                  static_cast<std::size_t>(natsMsg_GetDataLength(message)))};
  natsMsg_Destroy(message);
  std::lock_guard<std::mutex> lock(self->mutex_);
  self->messages_.push_back(std::move(copy));
}

bool nats_capture::subscribe(const std::string& subject, std::string* error) {
  natsSubscription* subscription = nullptr;
  natsStatus status = natsConnection_Subscribe(
      &subscription, connection_, subject.c_str(), on_message, this);
  if (status == NATS_OK) {
    subscriptions_.push_back(subscription);
    status = natsConnection_FlushTimeout(connection_, 5000);
  }
  if (status != NATS_OK) {
    *error =
        "cannot subscribe to " + subject + ": " + natsStatus_GetText(status);
    return false;
  }
  return true;
}

bool nats_capture::publish(const std::string& subject, const std::string& data,
                           std::string* error) {
  natsStatus status = natsConnection_Publish(
      connection_, subject.c_str(), data.data(), static_cast<int>(data.size()));
  if (status == NATS_OK)
    status = natsConnection_FlushTimeout(connection_, 5000);
  if (status != NATS_OK) {
    *error = "cannot publish to " + subject + ": " + natsStatus_GetText(status);
    return false;
  }
  return true;
}

std::vector<captured_message> nats_capture::messages() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return messages_;
}

bool nats_capture::await_count(std::size_t count,
                               std::chrono::milliseconds timeout) const {
  return wait_until(
      [&] {
        std::lock_guard<std::mutex> lock(mutex_);
        return messages_.size() >= count;
      },
      timeout);
}

}  // namespace gateway::integration

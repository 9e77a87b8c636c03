#include "gateway/client/credentials.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace gateway::client {
namespace {

using json = nlohmann::json;

std::string string_field(const json& object, const char* name) {
  auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>()
                                                     : "";
}

bool make_private_folder(const std::string& folder, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) {
    *error = "cannot create " + folder + ": " + ec.message();
    return false;
  }
  return true;
}

bool write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    auto count = ::write(fd, text.data() + written, text.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    written += static_cast<std::size_t>(count);
  }
  return true;
}

}  // namespace

std::string credentials_path() {
  const char* config_home = std::getenv("XDG_CONFIG_HOME");
  std::string folder;
  if (config_home != nullptr && config_home[0] == '/') {
    folder = config_home;
  } else if (const char* home = std::getenv("HOME"); home && home[0] == '/') {
    folder = std::string(home) + "/.config";
  } else {
    return "";
  }
  return folder + "/choria-gw/credentials.json";
}

std::optional<credentials> load_credentials(const std::string& path,
                                            std::string* error) {
  error->clear();
  std::ifstream input(path);
  if (!input) {
    if (errno != ENOENT)
      *error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::stringstream text;
  text << input.rdbuf();
  json document = json::parse(text.str(), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    *error = path + " is not a JSON object; remove it and log in again";
    return std::nullopt;
  }
  credentials out;
  out.url = string_field(document, "url");
  out.username = string_field(document, "username");
  out.token = string_field(document, "token");
  out.ca_file = string_field(document, "ca_file");
  auto expires = document.find("expires_at");
  if (expires != document.end() && expires->is_number_integer())
    out.expires_at = expires->get<std::int64_t>();
  return out;
}

bool save_credentials(const std::string& path, const credentials& value,
                      std::string* error) {
  auto folder = std::filesystem::path(path).parent_path().string();
  if (!make_private_folder(folder, error)) return false;
  json document = {{"url", value.url},
                   {"username", value.username},
                   {"token", value.token},
                   {"expires_at", value.expires_at},
                   {"ca_file", value.ca_file}};

  // The temporary file is created with mode 0600, so the token is never
  // readable by others, not even for a moment.
  std::string temporary = path + ".tmp";
  int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = "cannot write " + temporary + ": " + std::strerror(errno);
    return false;
  }
  bool written = ::fchmod(fd, 0600) == 0 &&
                 write_all(fd, document.dump(2) + "\n") && ::fsync(fd) == 0;
  int saved_errno = errno;
  ::close(fd);
  if (!written || std::rename(temporary.c_str(), path.c_str()) != 0) {
    *error = "cannot write " + path + ": " +
             std::strerror(written ? errno : saved_errno);
    ::unlink(temporary.c_str());
    return false;
  }
  return true;
}

}  // namespace gateway::client

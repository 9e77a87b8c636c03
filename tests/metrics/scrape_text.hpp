// Reads sample values out of Prometheus text exposition, for the tests.
#pragma once

#include <optional>
#include <set>
#include <sstream>
#include <string>

namespace gateway::metrics::testing {

// The value of the sample whose name and label set are written exactly as
// series, such as `choria_gateway_replies_received_total{statuscode="0"}`,
// or nullopt when the scrape has no such line.
inline std::optional<double> sample_value(const std::string& scrape,
                                          const std::string& series) {
  std::istringstream lines(scrape);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() <= series.size() || line.compare(0, series.size(), series))
      continue;
    if (line[series.size()] != ' ') continue;
    return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

// The sum of every sample of name, whatever its labels, or 0 when none.
inline double sample_sum(const std::string& scrape, const std::string& name) {
  std::istringstream lines(scrape);
  std::string line;
  double total = 0;
  while (std::getline(lines, line)) {
    if (line.compare(0, name.size(), name) != 0 || line.size() <= name.size())
      continue;
    char next = line[name.size()];
    if (next != ' ' && next != '{') continue;
    total += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return total;
}

// The names of every sample in the scrape, such as
// choria_gateway_http_request_duration_seconds_bucket.
inline std::set<std::string> sample_names(const std::string& scrape) {
  std::set<std::string> out;
  std::istringstream lines(scrape);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.front() == '#') continue;
    out.insert(line.substr(0, line.find_first_of("{ ")));
  }
  return out;
}

}  // namespace gateway::metrics::testing

#include <algorithm>

#include "src/server/api_routes.hpp"

namespace gateway {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool is_placeholder(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches path segments against a template; fills params on success.
bool match_template(const std::vector<std::string>& pattern,
                    const std::vector<std::string>& path,
                    route_params* params) {
  if (pattern.size() != path.size()) return false;
  route_params values;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_placeholder(pattern[i])) {
      if (path[i].empty()) return false;
      values.push_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  *params = std::move(values);
  return true;
}

}  // namespace

void route_table::add(std::string method, std::string path_template,
                      route_handler handler) {
  routes_.push_back(
      {std::move(method), std::move(path_template), std::move(handler)});
}

route_match route_table::find(const std::string& method,
                              const std::string& path) const {
  route_match result;
  if (path.empty() || path.front() != '/') return result;
  auto segments = split_path(path);
  for (const auto& route : routes_) {
    route_params params;
    if (!match_template(split_path(route.path_template), segments, &params))
      continue;
    if (route.method == method) {
      result.route = &route;
      result.params = std::move(params);
      return result;
    }
    if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(),
                  route.method) == result.allowed_methods.end())
      result.allowed_methods.push_back(route.method);
  }
  return result;
}

}  // namespace gateway

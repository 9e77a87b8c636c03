#include "gateway/server/metrics_endpoint.hpp"

#include <gtest/gtest.h>

namespace gateway {
namespace {

TEST(MetricsResponse, GetReturnsTextExposition) {
  metrics::registry registry;
  auto response = metrics_response(registry, "GET");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("# TYPE choria_gateway_build_info gauge"),
            std::string::npos);
}

TEST(MetricsResponse, OtherMethodsGet405) {
  metrics::registry registry;
  auto response = metrics_response(registry, "POST");
  EXPECT_EQ(response.status, 405u);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "GET, HEAD");
}

}  // namespace
}  // namespace gateway

// Histogram bucket boundaries shared by the metric families.
#pragma once

#include <prometheus/histogram.h>

namespace gateway::metrics::buckets {

// HTTP handling: 1 ms to 10 s.
inline const prometheus::Histogram::BucketBoundaries http_seconds = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

// RPC phases, which include node work and timeouts: 5 ms to 5 min.
inline const prometheus::Histogram::BucketBoundaries rpc_seconds = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

// CPU-bound or local disk work: 0.1 ms to 2.5 s.
inline const prometheus::Histogram::BucketBoundaries local_seconds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
    0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5};

// Node counts of a discovery.
inline const prometheus::Histogram::BucketBoundaries nodes = {
    0, 1, 10, 50, 100, 500, 1000, 5000, 10000, 50000};

// Events in one write batch.
inline const prometheus::Histogram::BucketBoundaries batch_events = {
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};

}  // namespace gateway::metrics::buckets

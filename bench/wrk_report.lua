-- wrk script for bench/run: sends BENCH_METHOD (default GET) with the
-- bearer token in BENCH_TOKEN and the body in BENCH_BODY, and prints the
-- summary as one JSON line starting with "BENCH_JSON " when done.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
if wrk.body then
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local errors = summary.errors
  print(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"non_2xx":%d,' ..
    '"socket_errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f}',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end

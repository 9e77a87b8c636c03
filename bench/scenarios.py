"""The benchmark scenarios that bench/run drives. Each scenario measures a
figure of the gateway and the limit it is compared with in the same run,
and returns both with their ratio. See BENCHMARKS.md for what each
measures and why."""

import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import time

from stack import Stack, cpu_seconds, rss_kib, wait_for


class Context:
    """Paths, sizes and the optional profiler of one bench/run."""

    def __init__(self, bin_dir, results_dir, quick, profile):
        self.bin_dir = bin_dir
        self.results = results_dir
        self.quick = quick
        self.profile = profile
        self.scratch = os.path.join(results_dir, "scratch")
        # Sizes of the full run; --quick shrinks every one of them.
        self.submit_seconds = 2 if quick else 15
        self.submit_connections = 8 if quick else 32
        self.fleet_nodes = 300 if quick else 10_000
        self.blast_replies = 300 if quick else 10_000
        self.page_replies = 1_000 if quick else 100_000
        self.history_requests = 2_000 if quick else 1_000_000
        self.in_flight_requests = 50 if quick else 2_000
        self.page_seconds = 1 if quick else 5

    @property
    def bench_tool(self):
        return os.path.join(self.bin_dir, "bench/bench_tool")

    def work_dir(self, name):
        path = os.path.join(self.scratch, name)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        return path


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def run_json(command, **kwargs):
    """Runs a bench_tool command and returns the JSON it prints."""
    done = subprocess.run(command, check=True, capture_output=True,
                          text=True, **kwargs)
    return json.loads(done.stdout.strip().splitlines()[-1])


def ratio(figure, limit):
    return round(figure / limit, 3) if limit else None


class Profiler:
    """perf record of one process for the length of a with block; writes
    the top entries of `perf report` to results/profile-NAME.txt."""

    def __init__(self, context, name, pid):
        self.enabled = context.profile
        self.data = os.path.join(context.scratch, f"perf-{name}.data")
        self.report = os.path.join(context.results, f"profile-{name}.txt")
        self.pid = pid

    def __enter__(self):
        if self.enabled:
            self.process = subprocess.Popen(
                ["perf", "record", "-F", "999", "-p", str(self.pid),
                 "-o", self.data], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            time.sleep(0.5)  # perf attaches asynchronously.
        return self

    def __exit__(self, *exc):
        if not self.enabled:
            return False
        self.process.send_signal(2)  # SIGINT makes perf write its data.
        self.process.wait(60)
        with open(self.report, "w") as out:
            out.write("# share of samples by library\n")
            out.writelines(self._top("dso", 1.0))
            out.write("\n# share of samples by function\n")
            out.writelines(self._top("dso,sym", 0.7))
        return False

    def _top(self, sort, percent_limit):
        """perf report lines above percent_limit, with whitespace collapsed
        and template arguments removed so that each fits on a line."""
        report = subprocess.run(
            ["perf", "report", "-i", self.data, "--stdio", "--no-children",
             "--sort", sort, "-g", "none", "--percent-limit",
             str(percent_limit)],
            capture_output=True, text=True).stdout
        lines = []
        for line in report.splitlines():
            if not re.match(r"\s+[0-9.]+%", line):
                continue
            line = re.sub(r"\s+-\s+-\s*$", "", line.strip())
            line = line.replace("json_abi_v3_11_2::", "")
            while re.search(r"<[^<>]*>", line):
                line = re.sub(r"<[^<>]*>", "", line)
            lines.append(re.sub(r"\s{2,}", "  ", line) + "\n")
        return lines


def wrk(stack, path, seconds, connections, threads, method="GET",
        body=None):
    """Runs wrk against the gateway and returns bench/wrk_report.lua's
    summary: requests, duration_us, non_2xx, socket_errors and latency
    percentiles in microseconds."""
    script = os.path.join(os.path.dirname(__file__), "wrk_report.lua")
    env = dict(os.environ, BENCH_METHOD=method, BENCH_TOKEN=stack.token)
    if body is not None:
        env["BENCH_BODY"] = json.dumps(body)
    output = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections),
         "-d", f"{seconds}s", "--timeout", "10s", "-s", script,
         stack.url(path)],
        check=True, capture_output=True, text=True, env=env).stdout
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])
    raise RuntimeError("wrk printed no summary: " + output)


def openssl_sign_rate(cores, seconds):
    """RSA-2048 signatures per second of `openssl speed` on every core, by
    wall-clock time, so the figure reflects the machine's load."""
    output = subprocess.run(
        ["openssl", "speed", "-elapsed", "-mr", "-seconds", str(seconds),
         "-multi", str(cores), "rsa2048"],
        check=True, capture_output=True, text=True).stdout
    for line in output.splitlines():
        # +F2:<index>:<bits>:<signs per second>:<verifies per second>
        if line.startswith("+F2:") and " from " not in line:
            return float(line.split(":")[3])
    raise RuntimeError("openssl speed printed no RSA result: " + output)


def scenario_submit(context):
    """Measures direct requests to one simulated node from many HTTP
    connections against the RSA-2048 signing rate of every core."""
    cores = os.cpu_count()
    limit = openssl_sign_rate(cores, 1 if context.quick else 3)
    stack = Stack(context.bin_dir, context.work_dir("submit"),
                  sim_count=1).start()
    try:
        body = {"agent": "rpcutil", "action": "ping",
                "nodes": ["node-1.example.net"]}
        load = load_average()
        started = time.time()
        with Profiler(context, "submit", stack.gateway_pid):
            summary = wrk(stack, "/v1/requests", context.submit_seconds,
                          context.submit_connections, 2, "POST", body)
            accepted = summary["requests"] - summary["non_2xx"]
            # The 202 comes once the request is in the log; signing and
            # publishing follow, so the request is done when the node
            # has replied.
            wait_for(lambda: stack.sim_stats()["replies"] >= accepted, 300,
                     "a reply to every accepted request")
        answered = time.time()
        submit_rate = accepted / (summary["duration_us"] / 1e6)
        rate = accepted / (answered - started)
        memory = rss_kib(stack.gateway_pid)
    finally:
        stack.stop()
    return {
        "load_average": load,
        "limit": {"what": f"openssl speed rsa2048 sign/s on {cores} cores",
                  "value": round(limit, 1)},
        "figure": {"what": "requests signed, published and answered/s",
                   "value": round(rate, 1)},
        "accepted": accepted,
        "accepted_per_second": round(submit_rate, 1),
        "seconds_until_answered": round(answered - started, 2),
        "ratio": ratio(rate, limit),
        "target": ">= 0.8",
        "connections": context.submit_connections,
        "seconds": context.submit_seconds,
        "wrk": summary,
        "latency_ms": {"p50": summary["p50_us"] / 1000,
                       "p99": summary["p99_us"] / 1000},
        "gateway_rss_kib_after": memory,
    }


def poll_received(client, request_id, count, timeout):
    """Polls the status until count replies are received; returns the Unix
    time at which the status first showed them."""
    def received():
        status, body = client.call("GET", f"/v1/requests/{request_id}")
        if status == 200 and body["received"] >= count:
            return time.time()
        return None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = received()
        if done:
            return done
        time.sleep(0.005)
    raise RuntimeError(f"request {request_id} did not receive {count} "
                       f"replies in {timeout} s")


def start_tool(context, stack, arguments, name):
    """Starts a bench_tool NATS subcommand and waits for its ready file."""
    ready = os.path.join(stack.work, name + ".ready")
    process = subprocess.Popen(
        [context.bench_tool] + arguments + stack.nats_arguments() +
        ["--ready-file", ready], stdout=subprocess.PIPE, text=True)
    wait_for(lambda: os.path.exists(ready), 30, name)
    return process


def finish_tool(process):
    output, _ = process.communicate(timeout=180)
    if process.returncode != 0:
        raise RuntimeError(f"bench_tool exited with {process.returncode}")
    return json.loads(output.strip().splitlines()[-1])


def scenario_fleet(context):
    """Measures the time from a broadcast to the simulated fleet until
    every reply is queryable, against the simulator's publish time seen
    on NATS."""
    nodes = context.fleet_nodes
    stack = Stack(context.bin_dir, context.work_dir("fleet"),
                  sim_count=nodes).start()
    try:
        observer = start_tool(context, stack,
                              ["observe", "--expect", str(nodes)], "observe")
        client = stack.client()
        load = load_average()
        cpu_before = cpu_seconds(stack.gateway_pid)
        with Profiler(context, "fleet", stack.gateway_pid):
            status, body = client.call("POST", "/v1/requests", {
                "agent": "rpcutil", "action": "ping", "mode": "broadcast",
                "discovery_timeout": 1, "timeout": 120})
            if status != 202:
                raise RuntimeError(f"submit failed with {status}: {body}")
            request_id = body["request_id"]
            queryable = poll_received(client, request_id, nodes, 180)
        cpu = cpu_seconds(stack.gateway_pid) - cpu_before
        seen = finish_tool(observer)
        memory = rss_kib(stack.gateway_pid)
    finally:
        stack.stop()

    published = next(b["time"] for b in seen["broadcasts"]
                     if b["request_id"] == request_id)
    replies = seen["replies"][request_id]
    sim_seconds = replies["last"] - published
    gateway_seconds = queryable - published
    return {
        "load_average": load,
        "nodes": nodes,
        "limit": {"what": "simulator publish time: broadcast to last reply "
                          "on NATS (s)", "value": round(sim_seconds, 3)},
        "figure": {"what": "broadcast to all replies queryable (s)",
                   "value": round(gateway_seconds, 3)},
        "ratio": ratio(gateway_seconds, sim_seconds),
        "target": "<= 1.3",
        "replies_per_second": round(nodes / (queryable - replies["first"]),
                                    1),
        # The gateway's own work, which the machine's load does not
        # stretch: discovery, the broadcast and every reply.
        "gateway_cpu_seconds": round(cpu, 3),
        "gateway_cpu_us_per_reply": round(cpu * 1e6 / nodes, 1),
        "gateway_rss_kib_after": memory,
    }


def record_sizes(client, request_id):
    """Bytes of one stored reply and of its reply_received event, as the
    raw RocksDB run should write them."""
    _, page = client.call("GET", f"/v1/requests/{request_id}/replies"
                          "?limit=1")
    reply = page["replies"][0]
    compact = {"separators": (",", ":")}
    reply_bytes = len(json.dumps(reply, **compact))
    event = {"v": 1, "seq": 123456, "kind": "reply_received",
             "time_ms": 1796000000000, "request_id": request_id,
             "caller": "admin",
             "data": {"sender": reply["sender"], "expected": True,
                      "statuscode": 0, "statusmsg": "OK",
                      "data": reply["data"]}}
    return len(json.dumps(event, **compact)), reply_bytes


def scenario_ingest(context):
    """Measures the ingestion of replies published as fast as one NATS
    connection allows, against a raw RocksDB run that writes the same
    records with the same sync setting."""
    count = context.blast_replies
    # No simulator, so only the blaster replies.
    stack = Stack(context.bin_dir, context.work_dir("ingest")).start()
    try:
        blaster = start_tool(context, stack,
                             ["blast", "--count", str(count)], "blast")
        client = stack.client()
        nodes = [f"bench-{i:05}.example.net" for i in range(1, count + 1)]
        load = load_average()
        cpu_before = cpu_seconds(stack.gateway_pid)
        with Profiler(context, "ingest", stack.gateway_pid):
            status, body = client.call("POST", "/v1/requests", {
                "agent": "rpcutil", "action": "ping", "nodes": nodes,
                "timeout": 300})
            if status != 202:
                raise RuntimeError(f"submit failed with {status}: {body}")
            request_id = body["request_id"]
            queryable = poll_received(client, request_id, count, 240)
        cpu = cpu_seconds(stack.gateway_pid) - cpu_before
        blast = finish_tool(blaster)
        sizes = record_sizes(client, request_id)
        memory = rss_kib(stack.gateway_pid)
    finally:
        stack.stop()

    raw = run_json([context.bench_tool, "raw-rocksdb",
                    "--dir", context.work_dir("raw-rocksdb"),
                    "--records", str(count),
                    "--value-sizes", f"{sizes[0]},{sizes[1]}",
                    "--batches", "1,16,256", "--sync", "true"])
    limit = max(run["records_per_second"] for run in raw["runs"])
    rate = count / (queryable - blast["publish_started"])
    return {
        "load_average": load,
        "replies": count,
        "limit": {"what": "raw RocksDB records/s, best batch size, sync=true",
                  "value": round(limit, 1)},
        "figure": {"what": "replies persisted and queryable/s",
                   "value": round(rate, 1)},
        "ratio": ratio(rate, limit),
        "target": ">= 0.5",
        "blast_publish_seconds": round(blast["publish_finished"] -
                                       blast["publish_started"], 3),
        "raw_rocksdb": raw,
        # The gateway's own work, steadier than the rate on a shared
        # machine: publishing the request to each node and its reply.
        "gateway_cpu_seconds": round(cpu, 3),
        "gateway_cpu_us_per_reply": round(cpu * 1e6 / count, 1),
        "gateway_rss_kib_after": memory,
    }


def scenario_paging(context):
    """Times pages of 100 at the start, middle and end of one request
    with many stored replies, through the event store and through
    HTTP."""
    work = context.work_dir("paging")
    data = os.path.join(work, "data")
    fill = run_json([context.bench_tool, "fill-replies", "--dir", data,
                     "--replies", str(context.page_replies)])
    arguments = [context.bench_tool, "page-latency", "--dir", data,
                 "--request-id", fill["request_id"],
                 "--iterations", "200" if context.quick else "5000"]
    for name, cursor in zip(fill["positions"], fill["cursors"]):
        arguments += ["--name", name, "--cursor", cursor]
    load = load_average()
    direct = run_json(arguments)

    stack = Stack(context.bin_dir, work, data_dir=data).start()
    over_http = {}
    try:
        for name, cursor in zip(fill["positions"], fill["cursors"]):
            path = f"/v1/requests/{fill['request_id']}/replies?limit=100"
            if cursor:
                path += f"&cursor={cursor}"
            with Profiler(context, f"paging-{name}", stack.gateway_pid):
                over_http[name] = wrk(stack, path, context.page_seconds, 1, 1)
        memory = rss_kib(stack.gateway_pid)
    finally:
        stack.stop()
    worst = max(s["p99_us"] for s in over_http.values()) / 1000
    return {
        "load_average": load,
        "replies": context.page_replies,
        "limit": {"what": "target p99 (ms)", "value": 5},
        "figure": {"what": "worst HTTP page p99 (ms), one connection",
                   "value": worst},
        "ratio": ratio(worst, 5),
        "target": "<= 1.0 and no growth with position",
        "event_store": direct["positions"],
        "event_store_status_read": direct["status_read"],
        "http": over_http,
        "gateway_rss_kib_after": memory,
    }


def history_available(stack):
    status, body = stack.client().call("GET", "/v1/requests?limit=1")
    return status == 200 and isinstance(body, dict) and "requests" in body


# History queries of user admin, who owns every fifth stored request.
# agent and action select one request in twenty; state matches all.
HISTORY_QUERIES = {
    "newest": "limit=100",
    "agent_action": "agent=rpcutil&action=ping&limit=100",
    "state": "state=complete&limit=100",
}


def history_pages(context, stack):
    """wrk summaries of each history query, and the worst p99 in ms."""
    pages = {name: wrk(stack, "/v1/requests?" + query, context.page_seconds,
                       1, 1)
             for name, query in HISTORY_QUERIES.items()}
    worst = max(page["p99_us"] for page in pages.values()) / 1000
    return {"state": "measured", "pages": pages, "worst_p99_ms": worst}


def submit_in_flight(stack, count):
    """Submits count requests to a node that no simulator serves, so each stays in
    flight until its 600 s timeout."""
    def submit(_):
        client = stack.client()
        status, body = client.call("POST", "/v1/requests", {
            "agent": "rpcutil", "action": "ping",
            "nodes": ["silent-1.example.net"], "timeout": 600})
        client.close()
        return status
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(submit, range(count)))
    return sum(1 for s in statuses if s == 202)


def wait_until_idle(pid, timeout):
    """Waits until pid uses less than 5% of a core over one second, or
    until timeout seconds pass, and returns the seconds waited."""
    started = time.monotonic()
    used = cpu_seconds(pid)
    while time.monotonic() - started < timeout:
        time.sleep(1)
        now = cpu_seconds(pid)
        if now - used < 0.05:
            break
        used = now
    return time.monotonic() - started


def scenario_history_and_memory(context):
    """Measures, on a store of many requests, history pages when the
    route exists, the resident memory of a gateway serving the store, and
    the memory per request in flight."""
    work = context.work_dir("history")
    data = os.path.join(work, "data")
    started = time.monotonic()
    fill = run_json([context.bench_tool, "fill-requests", "--dir", data,
                     "--requests", str(context.history_requests)])
    fill_seconds = time.monotonic() - started
    store_bytes = sum(os.path.getsize(os.path.join(data, f))
                      for f in os.listdir(data))

    stack = Stack(context.bin_dir, work, sim_count=1, data_dir=data).start()
    try:
        # RocksDB compacts the bottommost files of the filled store once
        # after it opens; the pages are measured after that.
        idle_wait = wait_until_idle(stack.gateway_pid, 300)
        load = load_average()
        rss_start = rss_kib(stack.gateway_pid)
        history = {"state": "pending: GET /v1/requests is not built yet"}
        if history_available(stack):
            with Profiler(context, "history", stack.gateway_pid):
                history = history_pages(context, stack)
        rss_served = rss_kib(stack.gateway_pid)
        accepted = submit_in_flight(stack, context.in_flight_requests)
        time.sleep(1)  # Lets the collectors publish before measuring.
        rss_in_flight = rss_kib(stack.gateway_pid)
    finally:
        stack.stop()
    per_request = (rss_in_flight["VmRSS"] - rss_served["VmRSS"]) * 1024 / \
        max(accepted, 1)
    # The fill appends through event_store as the gateway's event log
    # does, so its peak is the store's memory under a long write.
    writer_mib = fill["rss_kib"]["VmHWM"] / 1024
    peak_mib = max(rss_in_flight["VmHWM"] / 1024, writer_mib)
    return {
        "load_average": load,
        "stored_requests": fill["requests"],
        "stored_events": fill["events"],
        "store_bytes": store_bytes,
        "fill_seconds": round(fill_seconds, 1),
        "settle_seconds": round(fill.get("settle_seconds", 0), 1),
        "gateway_idle_wait_seconds": round(idle_wait, 1),
        "history": history,
        "limit": {"what": "target resident memory (MiB)", "value": 200},
        "figure": {"what": "peak resident memory of the gateway serving "
                           "the store or of the fill writing it (MiB)",
                   "value": round(peak_mib, 1)},
        "fill_rss_kib": fill["rss_kib"],
        "ratio": ratio(peak_mib, 200),
        "target": "<= 1.0",
        "rss_kib": {"after_start": rss_start, "after_queries": rss_served,
                    "with_requests_in_flight": rss_in_flight},
        "in_flight_requests": accepted,
        "bytes_per_request_in_flight": round(per_request),
    }


def scenario_micro(context):
    """Runs the Google Benchmark micro-benchmarks of the hot paths and
    keeps their JSON output in results/micro.json."""
    binary = os.path.join(context.bin_dir, "bench/micro_bench")
    if not os.path.exists(binary):
        return {"state": "skipped: micro_bench was not built (no Google "
                         "Benchmark)"}
    output = os.path.join(context.results, "micro.json")
    load = load_average()
    subprocess.run([binary, "--benchmark_out=" + output,
                    "--benchmark_out_format=json",
                    "--benchmark_min_time=" +
                    ("0.01" if context.quick else "1")],
                   check=True, capture_output=True)
    with open(output) as f:
        runs = json.load(f)["benchmarks"]
    # items_per_second sums every thread's items over wall-clock time for
    # the real-time runs, and is per CPU second for the others.
    return {"load_average": load,
            "benchmarks": {run["name"]: {
                "real_ns": round(run["real_time"], 1),
                "cpu_ns": round(run["cpu_time"], 1),
                "items_per_second": round(run["items_per_second"], 1)}
                for run in runs}}


SCENARIOS = {
    "submit": scenario_submit,
    "fleet": scenario_fleet,
    "ingest": scenario_ingest,
    "paging": scenario_paging,
    "history": scenario_history_and_memory,
    "micro": scenario_micro,
}


def machine():
    memory = subprocess.run(["free", "-m"], capture_output=True,
                            text=True).stdout.split("\n")[1].split()[1]
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "memory_mib": int(memory),
            "cpu": model, "load_average_start": load_average(),
            "openssl": subprocess.run(["openssl", "version"],
                                      capture_output=True,
                                      text=True).stdout.strip(),
            "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def table(results):
    """The Markdown summary: one row per scenario with a limit."""
    rows = ["| scenario | load | limit | figure | ratio | target |",
            "| --- | --- | --- | --- | --- | --- |"]
    for name, result in results["scenarios"].items():
        if "limit" not in result:
            continue
        rows.append(
            f"| {name} | {result['load_average']} | "
            f"{result['limit']['what']}: {result['limit']['value']} | "
            f"{result['figure']['what']}: {result['figure']['value']} | "
            f"{result['ratio']} | {result['target']} |")
    return "\n".join(rows) + "\n"


def run_all(context, names):
    os.makedirs(context.results, exist_ok=True)
    results = {"quick": context.quick, "machine": machine(), "scenarios": {}}
    for name in names:
        print(f"bench: {name} (load {load_average()})", flush=True)
        started = time.monotonic()
        result = SCENARIOS[name](context)
        result["seconds"] = round(time.monotonic() - started, 1)
        results["scenarios"][name] = result
        with open(os.path.join(context.results, "results.json"), "w") as f:
            json.dump(results, f, indent=2)
    summary = table(results)
    with open(os.path.join(context.results, "summary.md"), "w") as f:
        f.write(summary)
    shutil.rmtree(context.scratch, ignore_errors=True)
    return summary


def main():
    import argparse
    parser = argparse.ArgumentParser(description="Runs the benchmarks.")
    parser.add_argument("--bin-dir", required=True,
                        help="build folder with the gateway, simulator and "
                             "bench programs")
    parser.add_argument("--results", required=True,
                        help="folder for results.json and summary.md")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes: a sanity pass, not a measurement")
    parser.add_argument("--profile", action="store_true",
                        help="perf record the gateway in each scenario")
    parser.add_argument("--history-requests", type=int,
                        help="requests stored for the history and memory "
                             "scenario (default 1,000,000; 2,000 with "
                             "--quick)")
    parser.add_argument("--only", default=",".join(SCENARIOS),
                        help="comma-separated scenarios, from: " +
                             ", ".join(SCENARIOS))
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        parser.error("unknown scenarios: " + ", ".join(unknown))
    context = Context(os.path.abspath(args.bin_dir),
                      os.path.abspath(args.results), args.quick,
                      args.profile)
    if args.history_requests:
        context.history_requests = args.history_requests
    print(run_all(context, names), end="")


if __name__ == "__main__":
    main()

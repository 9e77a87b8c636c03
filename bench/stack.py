"""A gateway stack for the benchmarks: `choria-rest-gateway init`, then
nats-server with mutual TLS, choria-fleet-sim and the gateway on free
loopback ports, as scripts/run sets up the demo. Every process is started
here and stopped by its process id."""

import http.client
import json
import os
import signal
import socket
import subprocess
import time


def free_ports(count):
    """Distinct free loopback ports: every socket stays bound until all are
    chosen."""
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def wait_for(condition, timeout, what):
    """Polls condition every 20 ms until it returns a true value, which is
    returned; raises RuntimeError naming what after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


def rss_kib(pid):
    """VmRSS and VmHWM of pid in KiB, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0])
    return fields


def cpu_seconds(pid):
    """User plus system CPU time that pid has used, in seconds, from
    /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name may contain spaces, so count fields after its ")".
        fields = stat.read().rpartition(")")[2].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


class Client:
    """A keep-alive HTTP client for one gateway."""

    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.connection = http.client.HTTPConnection("127.0.0.1", port,
                                                     timeout=60)

    def call(self, method, path, body=None):
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, data, headers)
            response = self.connection.getresponse()
            text = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        parsed = json.loads(text) if text else None
        return response.status, parsed

    def close(self):
        self.connection.close()


class Stack:
    """nats-server, an optional simulator and the gateway in work_dir."""

    def __init__(self, bin_dir, work_dir, sim_count=0, sim_workers=2,
                 data_dir=None):
        self.bin_dir = bin_dir
        self.work = work_dir
        self.sim_count = sim_count
        self.sim_workers = sim_workers
        self.data_dir = data_dir
        self.processes = {}
        self.broker_port, self.http_port = free_ports(2)
        self.setup = os.path.join(work_dir, "setup")
        self.token = None

    @property
    def gateway_binary(self):
        return os.path.join(self.bin_dir, "src/main/choria-rest-gateway")

    @property
    def nats_url(self):
        return f"tls://127.0.0.1:{self.broker_port}"

    def nats_arguments(self):
        """bench_tool's NATS options, with the simulator's certificate."""
        return ["--nats", self.nats_url,
                "--tls-cert", os.path.join(self.setup, "fleet-sim.pem"),
                "--tls-key", os.path.join(self.setup, "fleet-sim-key.pem"),
                "--tls-ca", os.path.join(self.setup, "ca.pem")]

    def start(self):
        os.makedirs(self.work, exist_ok=True)
        self.password = self._init()
        self._spawn("nats-server", ["nats-server", "-c",
                                    os.path.join(self.setup,
                                                 "nats-server.conf")])
        if self.sim_count > 0:
            self._start_simulator()
        self._spawn("gateway", [self.gateway_binary, "serve", "--config",
                                os.path.join(self.setup, "gateway.conf")])
        wait_for(self._ready, 60, "the gateway to be ready")
        self.token = self._login()
        return self

    def _init(self):
        output = subprocess.run(
            [self.gateway_binary, "init", "--dir", self.setup, "--force",
             "--listen", f"127.0.0.1:{self.http_port}",
             "--broker", f"127.0.0.1:{self.broker_port}", "--plain-http"],
            check=True, capture_output=True, text=True).stdout
        config = os.path.join(self.setup, "gateway.conf")
        with open(config, "a") as out:
            # One user drives every scenario, so the per-user cap on
            # requests in flight would measure the policy, not the gateway.
            out.write("gateway.limits.user_requests_in_flight = 0\n")
            if self.data_dir:
                out.write(f"gateway.data_dir = {self.data_dir}\n")
        for line in output.splitlines():
            if "login:" in line:
                return line.split()[3]
        raise RuntimeError("init printed no login: " + output)

    def _start_simulator(self):
        ready = os.path.join(self.work, "sim.ready")
        if os.path.exists(ready):
            os.remove(ready)
        self._spawn("fleet-sim", [
            os.path.join(self.bin_dir, "src/sim/choria-fleet-sim"),
            "--nats", self.nats_url, "--count", str(self.sim_count),
            "--workers", str(self.sim_workers),
            "--ca", os.path.join(self.setup, "ca.pem"),
            "--tls-cert", os.path.join(self.setup, "fleet-sim.pem"),
            "--tls-key", os.path.join(self.setup, "fleet-sim-key.pem"),
            "--tls-ca", os.path.join(self.setup, "ca.pem"),
            "--ready-file", ready, "--log-level", "warn",
            "--stats-file", self.stats_file])
        wait_for(lambda: os.path.exists(ready), 120, "the simulator")

    @property
    def stats_file(self):
        return os.path.join(self.work, "sim-stats.json")

    def sim_stats(self):
        """The simulator's counters, written on SIGUSR1."""
        if os.path.exists(self.stats_file):
            os.remove(self.stats_file)
        self.processes["fleet-sim"].send_signal(signal.SIGUSR1)
        wait_for(lambda: os.path.exists(self.stats_file), 10,
                 "the simulator's stats file")
        with open(self.stats_file) as f:
            return json.load(f)

    def _spawn(self, name, command):
        log = open(os.path.join(self.work, name + ".log"), "w")
        self.processes[name] = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT)

    def _ready(self):
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode};"
                                   f" see {self.work}/{name}.log")
        try:
            status, _ = Client(self.http_port).call("GET", "/readyz")
            return status == 200
        except OSError:
            return False

    def _login(self):
        status, body = Client(self.http_port).call(
            "POST", "/v1/login",
            {"username": "admin", "password": self.password})
        if status != 200:
            raise RuntimeError(f"login failed with {status}: {body}")
        return body["token"]

    def client(self):
        return Client(self.http_port, self.token)

    @property
    def gateway_pid(self):
        return self.processes["gateway"].pid

    def url(self, path):
        return f"http://127.0.0.1:{self.http_port}{path}"

    def stop(self):
        """SIGTERM to each process started here, gateway first, then waits
        up to 30 s for each before SIGKILL."""
        for name in ("gateway", "fleet-sim", "nats-server"):
            process = self.processes.get(name)
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes.clear()

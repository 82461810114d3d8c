"""`sitrep serve` benchmark: start time to /healthz, resident memory, slash-command ack latency.

Starts `sitrep serve` on a fresh port against a fresh database (with the sample stories when
`--with-data` is given) and a local fake Slack Web API, waits for /healthz, reads the process'
resident memory, then sends signed `/conflict latest Mariupol` requests.
Last line: `serve ready X s, Y MB resident, ack p99 Z ms`.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stats import percentile  # noqa: E402  (bench/ is the script's dir)

from tests.support.fake_slack import FakeSlack  # noqa: E402

SECRET = "bench-signing-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def signed(body: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}",
            "Content-Type": "application/x-www-form-urlencoded"}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    sitrep = Path(sys.executable).parent / "sitrep"
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as slack:
        port = free_port()
        env = {**os.environ, "SITREP_DB": str(Path(tmp) / "serve.db"),
               "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": "xoxb-bench",
               "SLACK_API_URL": slack.api_url}
        started = time.perf_counter()
        process = subprocess.Popen([str(sitrep), "serve", "--port", str(port)], cwd=ROOT,
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(timeout=5) as client:
                while True:
                    if process.poll() is not None:
                        raise SystemExit(process.stderr.read().decode()[-2000:])
                    try:
                        if client.get(base + "/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        time.sleep(0.01)
                ready = time.perf_counter() - started
                resident = rss_mb(process.pid)
                acks = []
                for n in range(args.requests):
                    body = urlencode({
                        "command": "/conflict", "text": "latest Mariupol", "team_id": "T1",
                        "channel_id": "C1", "user_id": "U1", "trigger_id": f"t{n}",
                        "response_url": f"{slack.url}response/{n}", "token": "legacy",
                    })
                    sent = time.perf_counter()
                    response = client.post(base + "/slack/events", content=body,
                                           headers=signed(body))
                    acks.append((time.perf_counter() - sent) * 1000)
                    if response.status_code != 200:
                        raise SystemExit(f"request {n}: HTTP {response.status_code}")
                resident = max(resident, rss_mb(process.pid))
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"ack p50 {percentile(acks, 50):.1f} ms over {len(acks)} requests")
    print(f"serve ready {ready:.2f} s, {resident:.0f} MB resident, "
          f"ack p99 {percentile(acks, 99):.1f} ms")


if __name__ == "__main__":
    main()

"""The benchmarks run correctly at tiny sizes (their speed is never asserted here)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def last_line(*args: str, timeout: int = 300) -> str:
    result = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def test_bench_latest_tiny(tmp_path):
    line = last_line("bench/latest.py", "--stories", "1000", "--rounds", "50",
                     "--cache", str(tmp_path))
    assert re.fullmatch(r"latest p50 \d+\.\d ms p99 \d+\.\d ms on 1,000 stories \(SQLite\)",
                        line), line
    # A second run reuses the cached database.
    again = subprocess.run([sys.executable, "bench/latest.py", "--stories", "1000", "--rounds",
                            "5", "--cache", str(tmp_path)], cwd=ROOT, capture_output=True,
                           text=True, timeout=120)
    assert "reused from cache" in again.stdout


def test_bench_latest_tiny_on_postgresql(postgres):
    line = last_line("bench/latest.py", "--stories", "500", "--rounds", "20",
                     "--postgres", postgres.url())
    assert re.fullmatch(r"latest p50 \d+\.\d ms p99 \d+\.\d ms on 500 stories "
                        r"\(PostgreSQL\)", line), line


def test_bench_serve_tiny():
    line = last_line("bench/serve.py", "--requests", "5")
    assert re.fullmatch(r"serve ready \d+\.\d\d s, \d+ MB resident, ack p99 \d+\.\d ms", line)


def test_bench_alerts_tiny():
    line = last_line("bench/alerts.py", "--stories", "20", "--subscriptions", "30",
                     "--channels", "10")
    assert re.fullmatch(r"alerts 30 subscriptions x 20 stories in \d+\.\d\d s \(\d+ alerts\)",
                        line), line

"""The polling benchmark runs correctly at a tiny size (never timed here)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_poll_tiny():
    result = subprocess.run([sys.executable, "bench/poll.py", "--feeds", "5"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"poll 5 unchanged feeds \d+\.\d\d s \(first poll \d+\.\d\d s, \d+ stories/s\)", last
    ), last

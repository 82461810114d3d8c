"""The extraction benchmark runs at a tiny size and reports in its fixed format (never timed)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_extract_tiny():
    result = subprocess.run(
        [sys.executable, "bench/extract.py", "--docs", "9"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"extraction \d+\.\d\d of bare nlp\.pipe \(\d+(\.\d+)? docs/s vs \d+(\.\d+)? docs/s\)",
        last,
    ), last

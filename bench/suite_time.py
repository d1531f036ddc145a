"""How long the whole CI run takes: `bash .ci/run` (MariaDB check, install, then exactly `bash scripts/test.sh`), with
the wall time beside the CPU time it used and the machine's load, so a number from a busy shared machine can be
read for what it is.

    python bench/suite_time.py              # the demo database from the test cache when its code stamp matches
    python bench/suite_time.py --cold       # an empty test cache: the demo database is built once, as on a fresh CI
    python bench/suite_time.py --serial     # one pytest process (PYTEST_WORKERS=0), for comparison

Prints: wall and CPU (user + system of every process the run started) for the whole run, the pytest phase (pytest's
own "in N s") and the rest (MariaDB check, pip install, collection start), the result line, and the 1-minute load
average before and after. CPU / wall above 1 means the run used more than one core.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import children_cpu

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="start with an empty test cache (demo database built)")
    parser.add_argument("--serial", action="store_true", help="one pytest process instead of one per core")
    parser.add_argument("--log", default="", help="keep the run's output in this file")
    args = parser.parse_args(argv)

    env = dict(os.environ)
    if args.cold:
        env["INTERNAL_HIRE_TEST_CACHE"] = tempfile.mkdtemp(prefix="ih-test-cache-")
    if args.serial:
        env["PYTEST_WORKERS"] = "0"
    env["PYTEST_ADDOPTS"] = (env.get("PYTEST_ADDOPTS", "") + " -p no:cacheprovider").strip()

    load_before = os.getloadavg()[0]
    cpu_before, started = children_cpu(), time.perf_counter()
    print(f"running bash .ci/run ({'cold' if args.cold else 'warm'} cache, "
          f"{'serial' if args.serial else 'one worker per core'}) on {os.cpu_count()} cores ...", flush=True)
    run = subprocess.run(["bash", ".ci/run"], cwd=ROOT, env=env, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu_before
    load_after = os.getloadavg()[0]
    output = run.stdout + run.stderr
    if args.log:
        Path(args.log).write_text(output)

    summary = next((line for line in reversed(output.splitlines()) if re.search(r"\d+ (passed|failed)", line)), "")
    in_seconds = re.search(r" in ([\d.]+)s", summary)
    tests_wall = float(in_seconds.group(1)) if in_seconds else float("nan")
    print(f"exit code          {run.returncode}")
    print(f"result             {summary.strip('= ') or '(no pytest summary: see --log)'}")
    print(f"whole run          wall {wall:7.1f} s   CPU {cpu:7.1f} s   CPU/wall {cpu / wall:4.2f}")
    print(f"pytest phase       wall {tests_wall:7.1f} s")
    print(f"rest (install…)    wall {wall - tests_wall:7.1f} s")
    print(f"load average (1m)  before {load_before:.1f}   after {load_after:.1f}   cores {os.cpu_count()}")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())

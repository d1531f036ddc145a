"""Cold start at scale: `internal-hire search` as a new process, and a new server process's first search, on a data
folder with many profiles (build one with `python -m bench.search_latency --sizes 100000 --keep DIR`).

Each run is a fresh process, as a user starts it. The first run after the saved index is removed pays the build (and
saves it); the next runs map the saved index (core/matching/refresh.py) and apply what changed since.

    python -m bench.cold_start DIR [--runs 3]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUERY = "senior backend engineer who knows Kafka"
SERVER_FIRST_SEARCH = """
import time, sys
t0 = time.perf_counter()
from bot.bootstrap import build_app
from bot.settings import load_settings
app = build_app(load_settings(INTERNAL_HIRE_DATA_DIR=sys.argv[1], INTERNAL_HIRE_DEMO_AUTOLOAD=False))
page = app.matching.search(sys.argv[2], limit=5)
assert len(page.candidates) == 5
print(f"{time.perf_counter() - t0:.3f}")
"""


def cli_search(folder: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("internal-hire")), "search", "--data-dir", str(folder), QUERY],
                   check=True, capture_output=True)
    return time.perf_counter() - t0


def server_first_search(folder: Path) -> tuple[float, float]:
    """(wall time of the process, time from its start of imports to the first search answered)."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", SERVER_FIRST_SEARCH, str(folder), QUERY], check=True,
                          capture_output=True, text=True)
    return time.perf_counter() - t0, float(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--saved-only", action="store_true", help="skip the first run that builds the saved index")
    args = parser.parse_args(argv)
    folder = Path(args.data_dir)
    print(f"load {os.getloadavg()[0]:.1f}")
    if not args.saved_only:
        shutil.rmtree(folder / "search-index", ignore_errors=True)
        first = cli_search(folder)
        print(f"`internal-hire search`, no saved index (builds and saves it): {first:.2f} s")
    runs = [cli_search(folder) for _ in range(args.runs)]
    print(f"`internal-hire search`, saved index: median {statistics.median(runs):.2f} s ({', '.join(f'{r:.2f}' for r in runs)})")
    server = [server_first_search(folder) for _ in range(args.runs)]
    print(f"server process, start to first search answered: median {statistics.median(s[1] for s in server):.2f} s "
          f"(process wall {statistics.median(s[0] for s in server):.2f} s)")
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

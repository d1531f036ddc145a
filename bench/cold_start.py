"""Cold start at scale: `internal-hire search` as a new process, and a new server process's first search, on a data
folder with many profiles (build one with `python -m bench.search_latency --sizes 100000 --keep DIR`).

Each run is a fresh process, as a user starts it. The first run after the saved index is removed pays the build (and
saves it); the next runs map the saved index (core/matching/refresh.py) and apply what changed since.

    python -m bench.cold_start DIR [--runs 3]
    python -m bench.cold_start DIR --code OLD_CHECKOUT --saved-only   # the same with another version's code (before/after)

CPU time (user + system of the process) is printed beside wall time: on a shared machine the wall time mostly says
how long the process waited for a core.
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

from bench.common import children_cpu

QUERY = "senior backend engineer who knows Kafka"


# A server process as `internal-hire serve` builds it (Slack over HTTP configured: its SDK, the router and every
# handler), then the first /find-candidates through the router, as the Slack listener runs it.
SERVER_FIRST_SEARCH = """
import time, sys
t0 = time.perf_counter()
from bot.bootstrap import build_app
from bot.server import build_platforms, create_web_app
from bot.settings import load_settings
from handlers.requests import Request
settings = load_settings(INTERNAL_HIRE_DATA_DIR=sys.argv[1], INTERNAL_HIRE_DEMO_AUTOLOAD=False,
                         SLACK_BOT_TOKEN="xoxb-cold-start", SLACK_SIGNING_SECRET="cold-start")
app = build_app(settings)
create_web_app(app, settings, build_platforms(app, settings))
from core.domain import Employee, Role
asker = Employee(id="cold-start", display_name="cold start", role=Role.HR_ADMIN)
reply = app.router.handle(Request(actor=asker, platform="slack", text="/find-candidates " + sys.argv[2]))
assert reply.cards, reply
import os
waited = 0
for tid in os.listdir("/proc/self/task"):
    try:
        waited += int(open(f"/proc/self/task/{tid}/schedstat").read().split()[1])
    except (OSError, ValueError, IndexError):
        pass
print(f"{time.perf_counter() - t0:.3f} {time.process_time():.3f} {waited / 1e9:.3f}")
"""


# `internal-hire search` as its entry point runs it; at exit the process reports how long its threads were runnable
# but waiting for a core (/proc/self/task/*/schedstat), so the wall time can be told apart from the machine's load.
CLI = """
import atexit, os, sys
{path}
def waited():
    total = 0
    for tid in os.listdir("/proc/self/task"):
        try:
            total += int(open(f"/proc/self/task/{{tid}}/schedstat").read().split()[1])
        except (OSError, ValueError, IndexError):
            pass
    sys.stderr.write(f"\\nRUNQUEUE {{total / 1e9:.3f}}\\n")
atexit.register(waited)
from bot.cli import main
sys.exit(main(sys.argv[1:]))
"""


def cli_search(folder: Path, code: Path | None = None) -> tuple[float, float, float]:
    """(wall, CPU seconds, seconds runnable but waiting for a core) of one `internal-hire search` process (`code`:
    run that checkout's bot.cli instead)."""
    script = CLI.format(path=f"sys.path.insert(0, {str(code)!r})" if code is not None else "")
    c0, t0 = children_cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, "search", "--data-dir", str(folder), QUERY], check=True,
                          capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, children_cpu() - c0
    waited = float(done.stderr.rsplit("RUNQUEUE ", 1)[1].split()[0]) if "RUNQUEUE " in done.stderr else float("nan")
    return wall, cpu, waited


def server_first_search(folder: Path, code: Path | None = None) -> tuple[float, float, float, float, float]:
    """(wall time of the process, its CPU, time from its start of imports to the first search answered, CPU by then)."""
    script = SERVER_FIRST_SEARCH if code is None else f"import sys; sys.path.insert(0, {str(code)!r})" + SERVER_FIRST_SEARCH
    c0, t0 = children_cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, str(folder), QUERY], check=True,
                          capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, children_cpu() - c0
    answered, answered_cpu, waited = (float(x) for x in done.stdout.strip().splitlines()[-1].split())
    return wall, cpu, answered, answered_cpu, waited


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--saved-only", action="store_true", help="skip the first run that builds the saved index")
    parser.add_argument("--code", type=Path, default=None,
                        help="run the bot package of this checkout (e.g. `git archive` of an older commit)")
    args = parser.parse_args(argv)
    folder = Path(args.data_dir)
    print(f"load {os.getloadavg()[0]:.1f}; code {args.code or 'this checkout'}; {folder}")
    if not args.saved_only:
        shutil.rmtree(folder / "search-index", ignore_errors=True)
        first, first_cpu, _ = cli_search(folder, args.code)
        print(f"`internal-hire search`, no saved index (builds and saves it): {first:.2f} s wall, {first_cpu:.2f} CPU-s")
        time.sleep(1)
    runs = [cli_search(folder, args.code) for _ in range(args.runs)]
    print(f"`internal-hire search`, saved index: median {statistics.median(r[0] for r in runs):.2f} s wall "
          f"({', '.join(f'{r[0]:.2f}' for r in runs)}), CPU median {statistics.median(r[1] for r in runs):.2f} s "
          f"({', '.join(f'{r[1]:.2f}' for r in runs)}); waiting for a core: median "
          f"{statistics.median(r[2] for r in runs):.2f} s, so wall minus that wait: median "
          f"{statistics.median(r[0] - r[2] for r in runs):.2f} s", flush=True)
    server = [server_first_search(folder, args.code) for _ in range(args.runs)]
    print(f"server process (Slack configured), start to first /find-candidates answered: median "
          f"{statistics.median(s[2] for s in server):.2f} s wall, {statistics.median(s[3] for s in server):.2f} CPU-s "
          f"(whole process {statistics.median(s[0] for s in server):.2f} s wall, "
          f"{statistics.median(s[1] for s in server):.2f} CPU-s); waiting for a core until the answer: median "
          f"{statistics.median(s[4] for s in server):.2f} s, so wall minus that wait: median "
          f"{statistics.median(s[2] - s[4] for s in server):.2f} s")
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

"""`bash scripts/start.sh` as a user runs it: the time until the chat's prompt appears, then the time until the
first typed search is answered. The first run on a new data folder loads the demo organisation and its JD drafts;
the runs after it are what a second start costs (the install is skipped unless pyproject.toml changed).

Each start is a new process tree; its CPU time (user + system, the children's included) is printed beside the wall
time, because the machine is shared and wall times swing with the load.

    python -m bench.start_chat [--data-dir DIR] [--runs 3] [--fresh]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import children_cpu

ROOT = Path(__file__).resolve().parent.parent
PROMPT = b"\n> "
QUERY = "find-candidates senior backend engineer who knows Kafka"


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system, its finished children included) a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def process_waited(pid: int) -> float:
    """Seconds the process's live threads have been runnable but waiting for a core (the machine's load)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e9


def read_until(proc: subprocess.Popen, marker: bytes, timeout: float = 1800) -> bytes:
    seen = b""
    deadline = time.perf_counter() + timeout
    while marker not in seen:
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            raise SystemExit(f"the chat ended before printing {marker!r}:\n{seen.decode(errors='replace')[-2000:]}")
        seen += chunk
        if time.perf_counter() > deadline:
            raise SystemExit("timed out waiting for the chat")
    return seen


def one_start(data_dir: Path) -> dict:
    """Start the chat, wait for its prompt, ask one search, quit."""
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "start.sh"), "--data-dir", str(data_dir)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    read_until(proc, PROMPT)
    prompt_s = time.perf_counter() - t0
    prompt_cpu = process_cpu(proc.pid)        # start.sh exec's the chat: the same process
    prompt_waited = process_waited(proc.pid)
    t1 = time.perf_counter()
    proc.stdin.write((QUERY + "\n").encode())
    proc.stdin.flush()
    answer = read_until(proc, PROMPT)
    search_s = time.perf_counter() - t1
    proc.stdin.write(b"quit\n")
    proc.stdin.close()
    proc.wait(60)
    found = answer.count(b"\n 1.") + answer.count(b"1. ")
    return {"prompt": prompt_s, "prompt_cpu": prompt_cpu, "prompt_waited": prompt_waited, "search": search_s, "cpu": children_cpu() - cpu0,
            "answered": found > 0}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="data folder (default: a new scratch folder, so the first run is a first start)")
    parser.add_argument("--runs", type=int, default=3, help="second starts to measure")
    parser.add_argument("--fresh", action="store_true", help="empty --data-dir first (measure a first start)")
    args = parser.parse_args(argv)
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="ih-bench-start-"))
    if args.fresh:
        shutil.rmtree(folder, ignore_errors=True)
    first = not (folder / "internal-hire.sqlite3").exists()
    print(f"load {os.getloadavg()[0]:.1f}; data folder {folder}", flush=True)
    if first:
        run = one_start(folder)
        print(f"first start (demo organisation and JD drafts loaded): prompt after {run['prompt']:.1f} s wall, "
              f"{run['cpu']:.1f} CPU-s for the whole session; first search answered in {run['search']:.2f} s",
              flush=True)
    runs = [one_start(folder) for _ in range(args.runs)]
    for r in runs:
        print(f"  second start: prompt after {r['prompt']:.2f} s wall ({r['prompt_cpu']:.2f} CPU-s, "
              f"{r['prompt_waited']:.2f} s of it waiting for a core); first search answered in {r['search']:.2f} s; "
              f"session CPU {r['cpu']:.2f} s{'' if r['answered'] else ' (NO RESULTS SHOWN)'}", flush=True)
    print(f"second start, median of {len(runs)}: prompt after {statistics.median(r['prompt'] for r in runs):.2f} s "
          f"wall ({statistics.median(r['prompt_cpu'] for r in runs):.2f} CPU-s; without the wait for a core "
          f"{statistics.median(r['prompt'] - r['prompt_waited'] for r in runs):.2f} s); first search answered {statistics.median(r['search'] for r in runs):.2f} s later; "
          f"CPU {statistics.median(r['cpu'] for r in runs):.2f} s per session; load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

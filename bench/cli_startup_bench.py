"""Start-up time of `coop --help` and `coop --version`, against a bare `python -c "import click"` (issue #14).

    .venv/bin/python bench/cli_startup_bench.py                # 20 runs of each, interleaved
    .venv/bin/python bench/cli_startup_bench.py --runs 50
    .venv/bin/python bench/cli_startup_bench.py --coop /other/checkout/.venv/bin/coop   # e.g. main, for "before"

Each run is a new process, as a user starts it: the installed `coop` script next to this Python, and this
Python for the baseline. The three are run in turn (baseline, help, version, baseline, …) so that a change of
load on the machine falls on all of them alike; the median of each is compared.

ratio = median(coop …) / median(python -c "import click"). Goal: ≤ 5 for both.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOAL = 5.0
BASELINE = 'python -c "import click"'


def timed(command: list[str]) -> float:
    """Seconds from starting the process to its exit."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20, help="runs of each command (default: 20)")
    parser.add_argument("--coop", default=str(Path(sys.executable).with_name("coop")), help="the coop to time")
    args = parser.parse_args()
    commands = {
        BASELINE: [sys.executable, "-c", "import click"],
        "coop --help": [args.coop, "--help"],
        "coop --version": [args.coop, "--version"],
    }
    for command in commands.values():
        timed(command)  # warm the file cache and the bytecode
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(timed(command))
    medians = {name: statistics.median(runs) for name, runs in times.items()}
    baseline = medians[BASELINE]
    print(f"{'command':<26} {'median':>8} {'min':>8} {'max':>8} {'ratio':>6}")
    for name, runs in times.items():
        ratio = medians[name] / baseline
        print(f"{name:<26} {medians[name]:8.3f} {min(runs):8.3f} {max(runs):8.3f} {ratio:6.1f}")
    worst = max(medians[name] / baseline for name in commands if name != BASELINE)
    print(f"worst ratio {worst:.1f} (goal ≤ {GOAL:.0f}): {'met' if worst <= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()

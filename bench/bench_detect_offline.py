"""How long a whole ``mailwizard detect ADDRESS --json --offline`` process takes.

Compared with a bare ``python -c pass`` on the same interpreter, so the report separates
our start-up cost from Python's. Run: ``.venv/bin/python bench/bench_detect_offline.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15


def timed(args: list[str]) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(args, check=False, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    bare = timed([sys.executable, "-c", "pass"])
    detect = timed([sys.executable, "-m", "wizard", "detect", "alice@yandex.ru", "--json",
                    "--offline"])
    miss = timed([sys.executable, "-m", "wizard", "detect", "alice@nowhere.example", "--json",
                  "--offline"])
    print(f"python -c pass:             {bare * 1000:7.1f} ms (median of {RUNS})")
    print(f"detect --offline (table):   {detect * 1000:7.1f} ms  ({detect / bare:.1f}x bare)")
    print(f"detect --offline (no match):{miss * 1000:7.1f} ms  ({miss / bare:.1f}x bare)")


if __name__ == "__main__":
    main()

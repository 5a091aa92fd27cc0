"""One client doing one workload, in a fresh process: prints its wall time, the growth of its
peak memory and the summary of what it read, as one JSON line.

``python -m benchmarks.cell CLIENT WORKLOAD URL TOKEN FACTS_JSON`` (run by
:mod:`benchmarks.run`).
"""

from __future__ import annotations

import importlib
import json
import resource
import sys
import time
from pathlib import Path

from benchmarks.clients import CLIENTS

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _kib(field: str) -> int | None:
    """A ``VmRSS``/``VmHWM`` line of /proc/self/status in KiB, None off Linux."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Reset the peak RSS to the current RSS (Linux); False where that is not possible."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def main() -> None:
    """Run the cell and print its JSON line."""
    name, workload, url, token, facts = sys.argv[1:6]
    module = importlib.import_module(CLIENTS[name])
    function = getattr(module, workload)
    exact = _reset_peak()
    start_rss = _kib("VmRSS") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    read = function(url, token, json.loads(facts))
    wall = time.perf_counter() - started
    peak = _kib("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    growth = max(0, (peak or 0) - (start_rss or 0))
    print(json.dumps({"wall": wall, "peak_kib": growth, "read": read}))


if __name__ == "__main__":
    main()

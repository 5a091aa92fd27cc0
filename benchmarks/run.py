"""Run the benchmark: the wire workloads (1-4) for every client at every latency, then the
object-layer workloads (5-6). See benchmarks/README.md.

    python -m benchmarks.run                     # full sizes, latencies 0, 5 and 30 ms
    python -m benchmarks.run --quick             # small sizes, under a minute
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import IO, Any

from benchmarks.clients import CLIENTS
from benchmarks.workloads import DESCRIPTIONS, WORKLOADS, Sizes, limit

QUICK = Sizes(tickets=300, closable=30, audit=10, users=30, customers=10)


@dataclass
class Cell:
    """One client's figures for one workload at one latency."""

    client: str
    requests: int
    limit: int
    bytes: int
    wall: float
    peak_kib: int
    server_cpu: float
    problem: str | None

    def row(self) -> list[str]:
        """The cells of its table row."""
        return [
            self.client,
            f"{self.requests:,}",
            f"{self.requests / self.limit:.2f}",
            f"{self.bytes / 1e6:.2f}",
            f"{self.wall:.2f}",
            f"{self.peak_kib / 1024:.1f}",
            f"{self.server_cpu:.2f}",
            "yes" if self.problem is None else f"NO: {self.problem}",
        ]


HEADER = ["client", "requests", "x limit", "MB", "wall s", "peak MiB", "server CPU s", "right"]


class Server:
    """The benchmark server process (:mod:`benchmarks.serve`)."""

    def __init__(self, sizes: Sizes) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.serve", sizes.to_json()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        hello = json.loads(self._stdout.readline())
        self.url, self.token = hello.pop("url"), hello.pop("token")
        self.facts: dict[str, Any] = hello

    @property
    def _stdout(self) -> IO[str]:
        assert self.process.stdout is not None
        return self.process.stdout

    def ask(self, cmd: str, **fields: Any) -> dict[str, Any]:
        """Send one command, return its answer."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"cmd": cmd, **fields}) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self._stdout.readline())
        return answer

    def close(self) -> None:
        """Stop the server process."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
        self.process.stdin.close()
        self.process.wait(timeout=30)


def run_cell(server: Server, client: str, workload: str, sizes: Sizes, repeat: int) -> Cell:
    """``client`` doing ``workload`` ``repeat`` times on a fresh seed; the median wall time."""
    runs = []
    for _ in range(repeat):
        server.ask("reseed")
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.cell",
                client,
                workload,
                server.url,
                server.token,
                json.dumps(server.facts),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        stats = server.ask("stats")
        if out.returncode != 0:
            problem = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "crashed"
            return Cell(
                client,
                stats["requests"],
                limit(workload, sizes),
                stats["bytes"],
                0.0,
                0,
                stats["cpu"],
                f"failed: {problem}",
            )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        check = server.ask("check", workload=workload)
        runs.append((result, stats, check))
    result, stats, check = runs[-1]
    cell = Cell(
        client=client,
        requests=stats["requests"],
        limit=limit(workload, sizes),
        bytes=stats["bytes"],
        wall=statistics.median(r[0]["wall"] for r in runs),
        peak_kib=max(r[0]["peak_kib"] for r in runs),
        server_cpu=statistics.median(r[1]["cpu"] for r in runs),
        problem=check["problem"],
    )
    cell.read = result["read"]  # type: ignore[attr-defined]
    return cell


def compare_reads(cells: list[Cell], workload: str) -> None:
    """Flag clients that read something else than the raw script (read-only workloads)."""
    if workload not in ("triage", "audit"):
        return
    reference = next((getattr(c, "read", None) for c in cells if c.client == "raw requests"), None)
    for cell in cells:
        read = getattr(cell, "read", None)
        if reference is not None and read is not None and read != reference and not cell.problem:
            cell.problem = f"read {read['rows']} rows unlike raw's {reference['rows']}"


def table(rows: Sequence[Sequence[str]], markdown: bool) -> str:
    """Rows as an aligned text table, or a Markdown one."""
    if markdown:
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(1, "|" + "|".join("---" for _ in rows[0]) + "|")
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--latency", default="0,5,30", help="milliseconds per request, comma-separated"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (under a minute)")
    parser.add_argument("--tickets", type=int, help="tickets stored and triaged (5000)")
    parser.add_argument("--closable", type=int, help="tickets the bulk close finds (500)")
    parser.add_argument("--audit", type=int, help="tickets whose articles are read (200)")
    parser.add_argument("--users", type=int, help="users the cleanup changes (500)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell (median wall time)")
    parser.add_argument("--clients", default=",".join(CLIENTS), help="comma-separated")
    parser.add_argument("--workloads", default=",".join(WORKLOADS), help="comma-separated")
    parser.add_argument("--no-hot", action="store_true", help="skip workloads 5 and 6")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    options = parser.parse_args(argv)
    unknown = set(options.clients.split(",")) - set(CLIENTS)
    unknown |= set(options.workloads.split(",")) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown clients or workloads: {sorted(unknown)}")
    return options


def main(argv: Sequence[str] | None = None) -> None:
    """Run and print the tables."""
    options = parse_args(argv)
    sizes = QUICK if options.quick else Sizes()
    chosen = {k: getattr(options, k) for k in ("tickets", "closable", "audit", "users")}
    sizes = replace(sizes, **{k: v for k, v in chosen.items() if v is not None})
    sizes.check()
    clients = options.clients.split(",")
    workloads = options.workloads.split(",")
    print(f"sizes: {sizes}", flush=True)
    server = Server(sizes)
    try:
        for latency in (float(part) for part in options.latency.split(",")):
            server.ask("latency", seconds=latency / 1000)
            print(f"\n## latency {latency:g} ms per request\n", flush=True)
            for workload in workloads:
                cells = [run_cell(server, c, workload, sizes, options.repeat) for c in clients]
                compare_reads(cells, workload)
                number = WORKLOADS.index(workload) + 1
                print(
                    f"{number}. {workload}: {DESCRIPTIONS[workload]} "
                    f"(limit {limit(workload, sizes):,} requests)\n"
                )
                print(
                    table([HEADER, *(c.row() for c in cells)], options.markdown) + "\n", flush=True
                )
    finally:
        server.close()
    if not options.no_hot:
        command = [sys.executable, "-m", "benchmarks.hotloop"]
        if options.quick:
            command.append("--quick")
        if options.markdown:
            command.append("--markdown")
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()

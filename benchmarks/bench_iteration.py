"""Walk N tickets reading their relations; print requests, seconds and peak memory."""

from __future__ import annotations

import argparse
import time
import tracemalloc

from zammad_orm import Client
from zammad_orm.testing import FakeZammad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1000, help="how many tickets to create")
    parser.add_argument("--per-page", type=int, default=100, help="page size of the walk")
    options = parser.parse_args()

    with FakeZammad() as server:
        client = Client(server.url, http_token=server.token)
        for number in range(options.tickets):
            client.post(
                "tickets", json={"title": f"Bench {number}", "group": "Users", "customer_id": 2}
            )
        server.clear_requests()

        tracemalloc.start()
        started = time.perf_counter()
        walked = 0
        for ticket in client.tickets.iter(per_page=options.per_page):
            group, state, owner, customer = (
                ticket.group,
                ticket.state,
                ticket.owner,
                ticket.customer,
            )
            _ = (
                group.name if group else None,
                state.name if state else None,
                owner.login if owner else None,
                customer.email if customer else None,
            )
            walked += 1
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        print(f"tickets walked:   {walked}")
        print(f"requests:         {len(server.requests)}")
        print(f"seconds:          {elapsed:.2f} ({walked / elapsed:.0f} tickets/s)")
        print(f"peak memory:      {peak / 1e6:.1f} MB (client and server share the process)")


if __name__ == "__main__":
    main()

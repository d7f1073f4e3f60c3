#!/usr/bin/env python3
"""Re-schedule payouts that missed their same-day window.

Run by the on-call engineer after a bank outage or a missed cut-off:

    python3 scripts/backfill_payouts.py --since 2026-11-20 --dry-run

Reads a CSV of payouts (id, shop_id, status, initiated_at) and prints the
ones that should be re-sent in the next window.
"""

import argparse
import csv
import sys
from datetime import datetime

# @why P-2 -- a missed window must never silently become "tomorrow"
LATE_STATUSES = {"failed", "scheduled"}


def late_payouts(rows, since):
    for row in rows:
        initiated = datetime.fromisoformat(row["initiated_at"])
        if row["status"] in LATE_STATUSES and initiated >= since:
            yield row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv_file", nargs="?", default="-")
    parser.add_argument("--since", required=True, type=datetime.fromisoformat)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)

    source = sys.stdin if args.csv_file == "-" else open(args.csv_file, newline="")
    with source:
        late = list(late_payouts(csv.DictReader(source), args.since))

    for row in late:
        action = "would re-send" if args.dry_run else "re-sending"
        print(f"{action} {row['id']} for shop {row['shop_id']}")
    print(f"{len(late)} payouts", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A generated dataset folder as the edge list someone would bring to
`jejaring import table`: ends named by name (not id), kinds and sources in
columns of their own, types in words, dates as people write them, an extra
column.

    edges.py DATASET_DIR OUT.csv

Deterministic: the same folder gives the same file.
"""
import csv
import sys

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]


def spreadsheet_date(iso, n):
    """Every third full date as `3 April 2005`, every third as `13/04/2005`
    when the day tells day from month; the rest as given."""
    if len(iso) != 10 or n % 3 == 0:
        return iso
    y, m, d = iso.split("-")
    if n % 3 == 1:
        return f"{int(d)} {MONTHS[int(m) - 1]} {y}"
    if int(d) > 12:
        return f"{d}/{m}/{y}"
    return iso


def main():
    folder, out = sys.argv[1], sys.argv[2]
    ents = {}
    with open(f"{folder}/entities.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ents[row["id"]] = (row["name"], row["kind"])
    urls = {}
    with open(f"{folder}/sources.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            urls[row["id"]] = row["url"] or row["title"]
    with open(f"{folder}/relations.csv", newline="", encoding="utf-8") as f, \
            open(out, "w", newline="", encoding="utf-8") as o:
        w = csv.writer(o, lineterminator="\n")
        w.writerow(["Source", "Target", "Relationship", "Source Kind",
                    "Target Kind", "URL", "Role", "Start Date", "End Date",
                    "Quote", "Weight"])
        for n, row in enumerate(csv.DictReader(f)):
            a, b = ents[row["from"]], ents[row["to"]]
            w.writerow([
                a[0], b[0], row["type"].replace("_", " "), a[1], b[1],
                urls[row["source"]], row["role"],
                spreadsheet_date(row["start"], n),
                spreadsheet_date(row["end"], n + 1),
                row["evidence"] if n % 4 == 0 else "",
                n % 10 + 1,
            ])


if __name__ == "__main__":
    main()

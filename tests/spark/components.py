"""Connected components and breadth-first distances on a jejaring Parquet
export, computed by Apache Spark with nothing but DataFrame joins.

Export a dataset (the whole graph, a time slice or a neighbourhood), then
run this script on the folder:

    jejaring --data mydata export --format parquet --out graph/
    python3 components.py graph/ --from some-entity-id

It prints the number of connected components, the size of the largest,
the number of isolated entities and, with --from, how many entities lie
at each distance (in hops) from that entity. --json prints the same as
one JSON object, with every entity's distance; jejaring's own test suite
compares that with `jejaring stats` and `jejaring neighbours`.

Both answers ignore the direction of relations, as jejaring's do: a
relation joins its two entities both ways. Run with python3, Spark runs
in local mode on every core (`--master local[1]` for one); on a cluster,
submit it with spark-submit (whose --master it then uses) and a path every
executor can read.

The two algorithms are the usual ones for a graph kept as tables:

- components: label propagation. Every entity starts with its own id as
  label and repeatedly takes the smallest label among its own and its
  neighbours'. When no label changes, the entities sharing a label are one
  component. It takes about as many rounds as the longest shortest path.
- distances: a breadth-first search. The frontier starts as the one
  entity; each round joins it to the relations, keeps the entities not
  reached before, and gives them the next distance.
"""

import argparse
import json
import sys

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F


def undirected_links(edges: DataFrame) -> DataFrame:
    """Each relation as two links, (a, b) and (b, a), between distinct
    entities; parallel relations collapse into one link."""
    one_way = edges.select(F.col("src").alias("a"), F.col("dst").alias("b"))
    other_way = one_way.select(F.col("b").alias("a"), F.col("a").alias("b"))
    return one_way.union(other_way).where(F.col("a") != F.col("b")).distinct()


def connected_components(nodes: DataFrame, links: DataFrame) -> DataFrame:
    """(id, label): entities with the same label are one component; the
    label is the smallest id in it."""
    labels = nodes.select("id", F.col("id").alias("label")).localCheckpoint()
    while True:
        # What each entity hears from its neighbours: their labels.
        heard = links.join(labels, links.a == labels.id).select(
            links.b.alias("id"), labels.label
        )
        # Keep the smallest of its own label and those it heard.
        new = (
            labels.union(heard)
            .groupBy("id")
            .agg(F.min("label").alias("label"))
            # Keep the round once computed (by the count below): without
            # it, every round would recompute all the rounds before it.
            .localCheckpoint(eager=False)
        )
        changed = (
            new.join(labels.withColumnRenamed("label", "before"), "id")
            .where(F.col("label") != F.col("before"))
            .count()
        )
        labels = new
        if changed == 0:
            return labels


def bfs_distances(links: DataFrame, start: str) -> DataFrame:
    """(id, distance) of every entity reachable from `start`, itself at 0."""
    spark = links.sparkSession
    reached = spark.createDataFrame([(start, 0)], "id string, distance int")
    frontier = reached.select("id")
    distance = 0
    while True:
        distance += 1
        step = (
            frontier.join(links, frontier.id == links.a)
            .select(links.b.alias("id"))
            .distinct()
            # Only entities not reached at a smaller distance.
            .join(reached, "id", "left_anti")
            .localCheckpoint(eager=False)
        )
        if step.count() == 0:
            return reached
        # One partition again: a union adds its inputs' partitions up.
        reached = (
            reached.union(step.withColumn("distance", F.lit(distance)))
            .coalesce(1)
            .localCheckpoint(eager=False)
        )
        frontier = step


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", help="folder of a `jejaring export --format parquet`")
    parser.add_argument("--from", dest="start", help="entity id to measure distances from")
    parser.add_argument("--master", help="Spark master (default: spark-submit's, else local[*])")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    builder = SparkSession.builder
    if args.master:
        builder = builder.master(args.master)
    spark = (
        builder.appName("jejaring components")
        # Small data: one shuffle partition instead of 200 keeps each
        # round fast; raise it for big graphs on many cores.
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        nodes = spark.read.parquet(f"{args.export}/nodes.parquet").select("id")
        edges = spark.read.parquet(f"{args.export}/edges.parquet")
        links = undirected_links(edges).localCheckpoint()

        labels = connected_components(nodes, links)
        sizes = labels.groupBy("label").count()
        summary = sizes.agg(
            F.count("*").alias("count"),
            F.coalesce(F.max("count"), F.lit(0)).alias("largest"),
            F.sum(F.when(F.col("count") == 1, 1).otherwise(0)).alias("isolated"),
        ).first()
        answer = {
            "entities": nodes.count(),
            "relations": edges.count(),
            "components": {
                "count": summary["count"],
                "largest": summary["largest"],
                "isolated": summary["isolated"] or 0,
            },
        }

        if args.start is not None:
            if nodes.where(F.col("id") == args.start).count() == 0:
                print(f"no entity with id {args.start!r} in {args.export}", file=sys.stderr)
                return 2
            rows = bfs_distances(links, args.start).collect()
            answer["from"] = args.start
            answer["distances"] = {r["id"]: r["distance"] for r in rows}
    finally:
        spark.stop()

    if args.json:
        print(json.dumps(answer, sort_keys=True))
        return 0
    c = answer["components"]
    print(f"{answer['entities']} entities, {answer['relations']} relations")
    print(f"{c['count']} connected components, largest {c['largest']}, isolated {c['isolated']}")
    if "distances" in answer:
        by_hops: dict[int, int] = {}
        for d in answer["distances"].values():
            by_hops[d] = by_hops.get(d, 0) + 1
        print(f"from {answer['from']}:")
        for d in sorted(by_hops):
            print(f"  {d} hop{'s' if d != 1 else ''}: {by_hops[d]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

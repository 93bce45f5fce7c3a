"""Side-by-side measurements of jejaring and the graph libraries researchers
would otherwise pick (igraph, networkit, rustworkx, networkx), driven by
run.sh. Standard library only, besides the library a `run` measures.

    peers.py pairs DATA N SEED PAIRS.csv CENTRES.txt NCENTRES
    peers.py run TOOL DATA PAIRS.csv CENTRES.txt OUT.json
    peers.py report WORK_DIR [--smoke]

`run` measures one tool in its own process, so its peak RSS is its own:
load (CSV -> graph with every column kept as an attribute), then one
undirected, unweighted shortest path per pair and one depth-2 neighbourhood
(nodes and the edges among them) per centre. A library that cannot be
imported writes {"unavailable": reason}. `report` prints one table with
ratios to jejaring and exits 1 when a peer's path lengths or neighbourhood
sizes differ from jejaring's.
"""

import csv
import json
import os
import random
import resource
import statistics
import sys
import time

TOOLS = ["igraph", "networkit", "rustworkx", "networkx"]
# Written by benches/compare/floor.rs, not by `run`: ids and relation ends
# only, in a bare CSR. Reported beside the peers, checked like them.
FLOOR = "floor"


def read_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        r = csv.reader(f)
        header = next(r)
        return header, list(r)


def read_dataset(data):
    """Every column of every file, as strings: the attributes a researcher
    keeps. Returns entity rows, relation rows, source rows, edge list."""
    _, sources = read_rows(os.path.join(data, "sources.csv"))
    eh, entities = read_rows(os.path.join(data, "entities.csv"))
    rh, relations = read_rows(os.path.join(data, "relations.csv"))
    index = {row[0]: i for i, row in enumerate(entities)}
    edges = [(index[r[0]], index[r[1]]) for r in relations]
    return eh, entities, rh, relations, sources, index, edges


def cmd_pairs(data, n, seed, pairs_out, centres_out, ncentres):
    _, entities = read_rows(os.path.join(data, "entities.csv"))
    ids = [row[0] for row in entities]
    rng = random.Random(int(seed))
    with open(pairs_out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["from", "to"])
        for _ in range(int(n)):
            w.writerow([rng.choice(ids), rng.choice(ids)])
    with open(centres_out, "w", encoding="utf-8") as f:
        for _ in range(int(ncentres)):
            f.write(rng.choice(ids) + "\n")


def peak_rss_mb():
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def ms_since(t):
    return (time.perf_counter() - t) * 1000.0


# Each loader builds an undirected graph with every attribute kept; each
# returns (graph, path(a, b) -> hops or None, nbh(c) -> (nodes, edges)).


def load_igraph(data):
    import igraph as ig

    eh, entities, rh, relations, sources, index, edges = read_dataset(data)
    g = ig.Graph(n=len(entities), edges=edges, directed=False)
    for i, col in enumerate(eh):
        g.vs[col] = [row[i] if i < len(row) else "" for row in entities]
    for i, col in enumerate(rh):
        g.es[col] = [row[i] if i < len(row) else "" for row in relations]
    g["sources"] = sources
    del entities, relations, edges

    def path(a, b):
        p = g.get_shortest_path(a, b)
        return len(p) - 1 if p else None

    def nbh(c):
        vs = g.neighborhood(c, order=2)
        return len(vs), g.induced_subgraph(vs).ecount()

    return g, path, nbh


def within_two_hops(c, neighbours):
    """The nodes at most two hops from c, for libraries without an ego-graph
    call: breadth-first over `neighbours(node)`."""
    seen = {c}
    frontier = [c]
    for _ in range(2):
        nxt = []
        for u in frontier:
            for v in neighbours(u):
                if v not in seen:
                    seen.add(v)
                    nxt.append(v)
        frontier = nxt
    return seen


def load_networkit(data):
    import networkit as nk

    nk.engineering.setNumberOfThreads(2)
    eh, entities, rh, relations, sources, index, edges = read_dataset(data)
    g = nk.Graph(len(entities), weighted=False, directed=False)
    for a, b in edges:
        g.addEdge(a, b)
    # networkit keeps no string attributes of its own: they stay beside it.
    attrs = (entities, relations, sources)
    del edges

    def path(a, b):
        if a == b:
            return 0
        bfs = nk.distance.BidirectionalBFS(g, a, b, storePred=False)
        bfs.run()
        d = bfs.getDistance()
        return int(d) if d < 1e300 else None

    def nbh(c):
        seen = within_two_hops(c, g.iterNeighbors)
        sub = nk.graphtools.subgraphFromNodes(g, list(seen))
        return len(seen), sub.numberOfEdges()

    return (g, attrs), path, nbh


def load_rustworkx(data):
    import rustworkx as rx

    eh, entities, rh, relations, sources, index, edges = read_dataset(data)
    g = rx.PyGraph(multigraph=True)
    g.add_nodes_from(entities)
    g.add_edges_from([(a, b, rel) for (a, b), rel in zip(edges, relations)])
    g.attrs = {"sources": sources}
    del entities, relations, edges

    def path(a, b):
        if a == b:
            return 0
        p = rx.graph_dijkstra_shortest_paths(g, a, target=b)
        return len(p[b]) - 1 if b in p else None

    def nbh(c):
        seen = within_two_hops(c, g.neighbors)
        sub = g.subgraph(list(seen))
        return len(seen), sub.num_edges()

    return g, path, nbh


def load_networkx(data):
    import networkx as nx

    eh, entities, rh, relations, sources, index, edges = read_dataset(data)
    g = nx.MultiGraph(sources=sources)
    g.add_nodes_from((i, dict(zip(eh, row))) for i, row in enumerate(entities))
    g.add_edges_from(
        (a, b, dict(zip(rh, rel))) for (a, b), rel in zip(edges, relations)
    )
    del entities, relations, edges

    def path(a, b):
        try:
            return len(nx.shortest_path(g, a, b)) - 1
        except nx.NetworkXNoPath:
            return None

    def nbh(c):
        sub = nx.ego_graph(g, c, radius=2)
        return sub.number_of_nodes(), sub.number_of_edges()

    return g, path, nbh


LOADERS = {
    "igraph": load_igraph,
    "networkit": load_networkit,
    "rustworkx": load_rustworkx,
    "networkx": load_networkx,
}
def analysis_igraph(graph):
    """PageRank scores (damping 0.85, multi-edges counted) and the
    connected components' (count, largest)."""

    def pagerank():
        return graph.pagerank(damping=0.85)

    def components():
        cc = graph.connected_components()
        return len(cc), max(cc.sizes())

    return pagerank, components


def analysis_networkit(graph):
    import networkit as nk

    g = graph[0]

    def pagerank():
        pr = nk.centrality.PageRank(g, damp=0.85, tol=1e-9)
        pr.run()
        return pr.scores()

    def components():
        cc = nk.components.ConnectedComponents(g)
        cc.run()
        sizes = cc.getComponentSizes()
        return cc.numberOfComponents(), max(sizes.values())

    return pagerank, components


# Peers whose whole-graph analysis (PageRank, components) the report
# compares with jejaring's.
ANALYSIS = {"igraph": analysis_igraph, "networkit": analysis_networkit}


def timed_median(f, runs=3):
    """The last answer of `f` and the median of `runs` timings (s)."""
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        times.append(ms_since(t) / 1000.0)
    return out, statistics.median(times)


MODULES = {"igraph": "igraph", "networkit": "networkit", "rustworkx": "rustworkx", "networkx": "networkx"}


def cmd_run(tool, data, pairs_file, centres_file, out):
    result = {"tool": tool}
    try:
        mod = __import__(MODULES[tool])
        result["version"] = getattr(mod, "__version__", "?")
    except Exception as e:  # not installable here: reported, not fatal
        result["unavailable"] = f"cannot import {tool}: {e}"
        with open(out, "w") as f:
            json.dump(result, f)
        return
    _, entities = read_rows(os.path.join(data, "entities.csv"))
    index = {row[0]: i for i, row in enumerate(entities)}
    ids = [row[0] for row in entities]
    _, pair_rows = read_rows(pairs_file)
    pairs = [(index[a], index[b]) for a, b in pair_rows]
    with open(centres_file, encoding="utf-8") as f:
        centres = [index[l.strip()] for l in f if l.strip()]
    del entities, index

    t = time.perf_counter()
    graph, path, nbh = LOADERS[tool](data)
    result["load_s"] = ms_since(t) / 1000.0
    result["rss_mb"] = peak_rss_mb()

    result["path_ms"], result["lengths"] = [], []
    for a, b in pairs:
        t = time.perf_counter()
        hops = path(a, b)
        result["path_ms"].append(ms_since(t))
        result["lengths"].append(hops)
    result["nbh_ms"], result["nbh_nodes"], result["nbh_edges"] = [], [], []
    for c in centres:
        t = time.perf_counter()
        nodes, edges = nbh(c)
        result["nbh_ms"].append(ms_since(t))
        result["nbh_nodes"].append(nodes)
        result["nbh_edges"].append(edges)
    if tool in ANALYSIS:
        pagerank, components = ANALYSIS[tool](graph)
        scores, result["pagerank_s"] = timed_median(pagerank)
        top = sorted(range(len(scores)), key=lambda i: (-scores[i], ids[i]))[:100]
        result["pagerank_top100"] = [ids[i] for i in top]
        result["components"], result["components_s"] = timed_median(components)
    with open(out, "w") as f:
        json.dump(result, f)


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, round(p / 100.0 * (len(xs) - 1))))
    return xs[k]


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def cli_lengths(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            v = json.loads(line)
            ps = v.get("paths") or []
            out.append(ps[0]["length"] if ps else None)
    return out


def cmd_report(work, smoke=False):
    meta = load_json(os.path.join(work, "meta.json")) or {}
    jej = load_json(os.path.join(work, "jejaring.json"))
    cli = load_json(os.path.join(work, "cli.json")) or {}
    if jej is None:
        print("no jejaring result", file=sys.stderr)
        return 2
    peers = {t: load_json(os.path.join(work, f"{t}.json")) for t in [FLOOR] + TOOLS}
    failures = []

    # The product's own answers: the CLI's lengths must match the probe's.
    # (cli-rep.jsonl asks the same pairs several times over.)
    for name in ("cli-200.jsonl", "cli-rep.jsonl"):
        cli_file = os.path.join(work, name)
        if os.path.exists(cli_file):
            got, want = cli_lengths(cli_file), jej["lengths"]
            times = len(got) // max(1, len(want))
            if times == 0 or got != want * times:
                failures.append(f"jejaring CLI ({name}) and in-process path lengths differ")

    def figures(r):
        return {
            "load (s)": r.get("load_s"),
            "peak RSS after load (MB)": r.get("rss_mb"),
            "path p50 (ms)": pct(r.get("path_ms", []), 50),
            "path p95 (ms)": pct(r.get("path_ms", []), 95),
            "depth-2 neighbourhood p50 (ms)": pct(r.get("nbh_ms", []), 50),
            "depth-2, capped at 500, p50 (ms)": pct(r.get("nbh_capped_ms", []), 50),
            "search p50 (ms)": pct(r.get("search_ms", []), 50),
            "PageRank, whole graph (s)": r.get("pagerank_s"),
            "connected components (s)": r.get("components_s"),
            "rank by degree, top 100 (s)": r.get("rank_degree_s"),
            "common ties of the two top hubs (ms)": r.get("common_hubs_ms"),
        }

    rows = figures(jej)
    rows["CLI: load, whole process (s)"] = cli.get("empty_s")
    rows["CLI: peak RSS, whole process (MB)"] = cli.get("empty_rss_mb")
    rows["CLI: per path query (ms)"] = cli.get("per_query_ms")

    cols = ["jejaring"]
    table = {"jejaring": rows}
    notes = []
    agree = {}
    analysis = {}
    for t in [FLOOR] + TOOLS:
        r = peers[t]
        if r is None:
            continue
        cols.append(t)
        if "unavailable" in r:
            notes.append(f"{t}: unavailable ({r['unavailable']})")
            table[t] = {}
            agree[t] = "n/a"
            continue
        if "skipped" in r:
            notes.append(f"{t}: skipped ({r['skipped']})")
            table[t] = {}
            agree[t] = "n/a"
            continue
        table[t] = figures(r)
        same = sum(1 for a, b in zip(jej["lengths"], r["lengths"]) if a == b)
        n = len(jej["lengths"])
        nodes_same = r["nbh_nodes"] == jej["nbh_nodes"]
        agree[t] = f"{same}/{n}" + ("" if nodes_same else ", nbh sizes differ")
        if same != n or len(r["lengths"]) != n:
            bad = [
                (i + 1, a, b)
                for i, (a, b) in enumerate(zip(jej["lengths"], r["lengths"]))
                if a != b
            ][:5]
            failures.append(f"{t}: path lengths differ from jejaring's (row, jejaring, {t}): {bad}")
        if not nodes_same:
            failures.append(f"{t}: depth-2 neighbourhood sizes differ from jejaring's")
        if "pagerank_top100" in r and "pagerank_top100" in jej:
            overlap = len(set(r["pagerank_top100"]) & set(jej["pagerank_top100"]))
            analysis[t] = f"top-100 {overlap}/100"
            if overlap < 95:
                failures.append(f"{t}: PageRank top-100 overlaps jejaring's in only {overlap}")
        if "components" in r and "components" in jej:
            same_cc = list(r["components"]) == list(jej["components"])
            analysis[t] = analysis.get(t, "") + ("" if same_cc else ", components differ")
            if not same_cc:
                failures.append(f"{t}: components (count, largest) {r['components']} differ from jejaring's {jej['components']}")

    print(
        f"dataset: {meta.get('entities')} entities, {meta.get('relations')} relations, "
        f"seed {meta.get('seed')}; {len(jej['lengths'])} pairs, {len(jej['nbh_nodes'])} centres; "
        f"{os.cpu_count()} cores"
    )
    versions = ", ".join(f"{t} {peers[t].get('version')}" for t in TOOLS if peers[t] and "version" in peers[t])
    if versions:
        print(f"peers: {versions}")
    print("ratios: peer / jejaring (above 1: jejaring is faster or smaller)")
    width = 36
    print(f"{'measure':<{width}}" + "".join(f"{c:>20}" for c in cols))
    for m in rows:
        line = f"{m:<{width}}"
        base = rows[m]
        for c in cols:
            v = table[c].get(m)
            if v is None:
                cell = "—"
            elif c == "jejaring" or not base:
                cell = fmt(v)
            else:
                cell = f"{fmt(v)} ({v / base:.1f}×)"
            line += f"{cell:>20}"
        print(line)
    print(f"{'path lengths agree with jejaring':<{width}}" + f"{'—':>20}" + "".join(f"{agree.get(c, '—'):>20}" for c in cols[1:]))
    if analysis:
        print(f"{'PageRank top 100 and components agree':<{width}}" + f"{'—':>20}" + "".join(f"{analysis.get(c, '—'):>20}" for c in cols[1:]))
    found = sum(1 for x in jej["lengths"] if x is not None)
    print(f"pairs connected: {found}/{len(jej['lengths'])}; mean depth-2 size "
          f"{statistics.mean(jej['nbh_nodes']):.0f} nodes, {statistics.mean(jej['nbh_edges']):.0f} edges")
    if peers[FLOOR]:
        print("floor: ids and relation ends only (no attribute kept, nothing checked), "
              "csv crate on one thread, into a bare CSR (benches/compare/floor.rs)")
    for n in notes:
        print(n)
    for f in failures:
        print("DISAGREEMENT: " + f, file=sys.stderr)
    if smoke:
        print("smoke run: correctness only, timings are not meaningful at this size")
    return 1 if failures else 0


def fmt(v):
    if v >= 100:
        return f"{v:.0f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "pairs":
        cmd_pairs(*args)
        return 0
    if cmd == "run":
        cmd_run(*args)
        return 0
    if cmd == "report":
        return cmd_report(args[0], smoke="--smoke" in args)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

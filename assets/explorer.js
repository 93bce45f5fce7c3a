// jejaring canvas explorer: grows the server's picture into a canvas that
// can be explored in place (expand, collapse, undo, hub groups, evidence
// panel, time window, layouts, state in the URL, exports of the view).
// The page works without it: the server SVG is in the page inside
// <noscript> (readers without JavaScript see it; with JavaScript the
// browser keeps it as unparsed text), it is parsed back if the canvas
// cannot start, and the tables beside it are the text alternative. No inline code or style is used, so the CSP holds.
(function () {
  "use strict";

  var GROUP_AT = 25; // more neighbours than this of one type make a group
  var NODE_R = 11; // the radius nodes are drawn with (22 px wide)
  // The force layout (fcose over cose-base over layout-base) is two fifths
  // of the script bytes: pages whose first picture does not use it load it
  // when it is first chosen, from beside this script, same version.
  var HERE = document.currentScript ? document.currentScript.src : "/assets/explorer.js";
  var FORCE_SCRIPTS = ["layout-base.js", "cose-base.js", "cytoscape-fcose.js"];
  var forceLoading = null;
  function loadForce() {
    if (window.cytoscapeFcose) return Promise.resolve();
    if (forceLoading) return forceLoading;
    forceLoading = new Promise(function (resolve, reject) {
      FORCE_SCRIPTS.forEach(function (name, i) {
        var s = document.createElement("script");
        s.src = HERE.replace(/explorer\.js(\?|$)/, name + "$1");
        s.async = false; // run in this order
        if (i === FORCE_SCRIPTS.length - 1) {
          s.addEventListener("load", function () { resolve(); });
        }
        s.addEventListener("error", function () { forceLoading = null; reject(new Error("could not load " + name)); });
        document.head.appendChild(s);
      });
    });
    return forceLoading;
  }
  function useForce() {
    if (window.cytoscapeFcose && !Explorer.registered) { window.cytoscape.use(window.cytoscapeFcose); Explorer.registered = true; }
  }
  var PAGE = 25; // members a group opens per step
  var SHAPES = {
    person: "ellipse", organization: "rectangle", company: "diamond",
    country: "hexagon", agreement: "round-rectangle", event: "star",
    topic: "barrel", place: "triangle"
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body.error || ("HTTP " + r.status));
        return body;
      });
    });
  }

  // A short label that never cuts a name into a string another name also
  // cuts into: the name when short, else an acronym-like alias, else the
  // name cut in the middle (its start and end usually differ).
  function shortLabel(name, aliases) {
    if (name.length <= 26) return name;
    var best = null;
    (aliases || []).forEach(function (a) {
      if (a.length < 2 || a.length > 16) return;
      var acronym = a === a.toUpperCase();
      if (!best || (acronym && !best.acronym) || (acronym === best.acronym && a.length < best.a.length)) {
        best = { a: a, acronym: acronym };
      }
    });
    if (best) return best.a;
    return middleCut(name);
  }
  function middleCut(s) { return s.length <= 26 ? s : s.slice(0, 12) + "…" + s.slice(-12); }

  function year(d) { return d ? parseInt(String(d).slice(0, 4), 10) : null; }
  function when(r) {
    if (!r.start && !r.end) return "undated";
    if (r.start && r.end && r.start !== r.end) return r.start + " – " + r.end;
    return r.start || ("until " + r.end);
  }

  // The root's computed style is read once: each fresh read makes the
  // browser work out the style of the whole page first.
  var rootStyle = null;
  function cssVar(name, fallback) {
    rootStyle = rootStyle || getComputedStyle(document.documentElement);
    var v = rootStyle.getPropertyValue(name).trim();
    return v || fallback;
  }

  function Explorer(root) {
    this.root = root;
    this.mode = root.getAttribute("data-mode");
    this.entity = root.getAttribute("data-entity");
    this.ops = []; // what was done, in order: replayed from the URL
    this.undone = [];
    this.history = []; // element diffs, one per op
    this.redoStack = [];
    this.busy = Promise.resolve();
    this.paths = [];
  }

  Explorer.prototype.build = function () {
    var self = this;
    var root = this.root;
    root.hidden = false;
    var bar = el("div", "x-bar");
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Canvas tools");
    function button(label, title, fn, cls) {
      var b = el("button", cls || "", label);
      b.type = "button";
      b.title = title;
      b.addEventListener("click", fn);
      bar.appendChild(b);
      return b;
    }
    this.undoBtn = button("Undo", "Undo (Ctrl+Z)", function () { self.undo(); }, "x-undo");
    this.redoBtn = button("Redo", "Redo (Ctrl+Y)", function () { self.redo(); }, "x-redo");
    button("Fit", "Fit the picture", function () { self.fitView(); }, "x-fit");
    var lay = el("select", "x-layout");
    lay.setAttribute("aria-label", "Layout");
    [["force", "Force"], ["rings", "Rings by distance"], ["ltr", "Left to right"]].forEach(function (o) {
      var opt = el("option", "", o[1]);
      opt.value = o[0];
      lay.appendChild(opt);
    });
    lay.value = this.mode === "path" ? "ltr" : (this.mode === "neighbours" ? "rings" : "force");
    lay.addEventListener("change", function () { self.layoutName = lay.value; self.saveUrl(); self.layout(); });
    this.layoutSelect = lay;
    this.layoutName = lay.value;
    bar.appendChild(lay);
    var exp = el("select", "x-export");
    exp.setAttribute("aria-label", "Export the view");
    [["", "Export view…"], ["png", "PNG picture"], ["svg", "SVG picture"], ["gexf", "GEXF (visible)"],
     ["graphml", "GraphML (visible)"], ["csv", "Gephi CSV edges (visible)"], ["nodes.csv", "Gephi CSV nodes (visible)"]]
      .forEach(function (o) { var opt = el("option", "", o[1]); opt.value = o[0]; exp.appendChild(opt); });
    exp.addEventListener("change", function () { if (exp.value) self.exportView(exp.value); exp.value = ""; });
    bar.appendChild(exp);
    root.appendChild(bar);

    // The time window: fades relations outside it.
    var time = el("div", "x-time");
    var from = el("input", "x-from"); from.type = "range";
    var until = el("input", "x-until"); until.type = "range";
    var fromL = el("label", "", "From year "); fromL.appendChild(from);
    var untilL = el("label", "", " until "); untilL.appendChild(until);
    var undated = el("input", "x-undated"); undated.type = "checkbox"; undated.checked = true;
    var undatedL = el("label", "check", " undated"); undatedL.insertBefore(undated, undatedL.firstChild);
    this.windowText = el("output", "x-window");
    time.appendChild(fromL); time.appendChild(untilL); time.appendChild(this.windowText); time.appendChild(undatedL);
    [from, until, undated].forEach(function (i) {
      i.addEventListener("input", function () {
        if (+from.value > +until.value) { if (i === from) until.value = from.value; else from.value = until.value; }
        self.applyWindow(); self.saveUrl();
      });
    });
    this.from = from; this.until = until; this.undated = undated;
    root.appendChild(time);

    var stage = el("div", "x-stage");
    this.canvas = el("div", "x-canvas");
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute("role", "application");
    this.canvas.setAttribute("aria-roledescription", "graph canvas");
    this.canvas.setAttribute("aria-label",
      "Graph canvas. Arrow keys move between entities, Enter expands, Delete collapses, I shows the card, Ctrl+Z undoes. The tables below list the same relations.");
    stage.appendChild(this.canvas);
    this.panel = el("aside", "x-panel");
    this.panel.setAttribute("aria-live", "polite");
    this.panel.setAttribute("aria-label", "Details");
    this.panel.appendChild(el("p", "meta", "Click a node for its card, a line for its evidence; double-click or Enter expands."));
    stage.appendChild(this.panel);
    root.appendChild(stage);
    this.status = el("p", "x-status meta");
    this.status.setAttribute("role", "status");
    root.appendChild(this.status);
    if (this.mode === "path") { this.pathList = el("div", "x-paths"); root.appendChild(this.pathList); }

    var fg = cssVar("--fg", "#1b1b1b"), bg = cssVar("--bg", "#fff"), edge = cssVar("--edge", "#888"), accent = cssVar("--accent", "#0b5cad");
    var style = [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 11, "color": fg, "text-valign": "bottom", "text-margin-y": 3,
        // Labels too small to read (a big picture fitted whole) are not
        // drawn, which spares measuring and drawing hundreds; zooming in
        // shows them.
        "min-zoomed-font-size": 7,
        "text-outline-color": bg, "text-outline-width": 2, "width": 22, "height": 22,
        "border-width": 1, "border-color": fg, "shape": "ellipse" } },
      { selector: "node.group", style: { "shape": "round-tag", "background-color": bg, "border-style": "dashed", "width": 30, "height": 30, "font-style": "italic" } },
      { selector: "node.root", style: { "border-width": 3, "width": 30, "height": 30 } },
      { selector: "node:selected", style: { "border-color": accent, "border-width": 4 } },
      { selector: "node.focus", style: { "overlay-color": accent, "overlay-opacity": 0.25, "overlay-padding": 6 } },
      // One edge per pair and no arrows: straight "haystack" lines, the
      // cheapest cytoscape draws (no control points to compute).
      { selector: "edge", style: { "width": 1.5, "line-color": edge, "curve-style": "haystack", "haystack-radius": 0 } },
      { selector: "edge:selected", style: { "line-color": accent, "width": 3 } },
      { selector: "edge.path-hl", style: { "line-color": accent, "width": 4 } },
      { selector: "node.path-dim, edge.path-dim", style: { "opacity": 0.2 } },
      { selector: "edge.faded", style: { "opacity": 0.12 } }
    ];
    Object.keys(SHAPES).forEach(function (k) {
      style.push({ selector: "node.k-" + k, style: { "shape": SHAPES[k], "background-color": cssVar("--k-" + k, "#888") } });
    });
    useForce();
    this.cy = window.cytoscape({
      container: this.canvas, style: style, minZoom: 0.05, maxZoom: 4,
      boxSelectionEnabled: false, textureOnViewport: false
    });
    this.wire();
  };

  Explorer.prototype.wire = function () {
    var self = this, cy = this.cy;
    cy.on("tap", "node", function (evt) { self.focusNode(evt.target); self.showCard(evt.target); });
    cy.on("tap", "edge", function (evt) { self.showEdge(evt.target); });
    cy.on("dbltap", "node", function (evt) { self.activate(evt.target); });
    cy.on("mouseover", "node", function (evt) { self.say(evt.target.data("name")); });
    // A dragged node stays where it is put: the force layout keeps pinned
    // nodes fixed, and it can still be dragged again.
    cy.on("dragfree", "node", function (evt) { evt.target.addClass("pinned"); });
    this.canvas.addEventListener("keydown", function (evt) { self.key(evt); });
    this.canvas.addEventListener("focus", function () {
      if (!self.focused || self.focused.removed()) {
        var first = cy.nodes(".root").first();
        if (first.nonempty()) self.focusNode(first.length ? first : cy.nodes().first());
      }
    });
  };

  Explorer.prototype.say = function (text) { this.status.textContent = text || ""; };

  Explorer.prototype.focusNode = function (n) {
    if (!n || n.empty()) return;
    if (this.focused) this.focused.removeClass("focus");
    this.focused = n;
    n.addClass("focus");
    var d = n.data();
    this.say(d.group ? d.label + " (Enter opens the next page)" : d.name + " — " + d.kind + ", " + d.degree + " relations");
  };

  Explorer.prototype.key = function (evt) {
    var cy = this.cy, n = this.focused;
    var k = evt.key;
    if ((evt.ctrlKey || evt.metaKey) && (k === "z" || k === "Z")) { evt.preventDefault(); if (evt.shiftKey) this.redo(); else this.undo(); return; }
    if ((evt.ctrlKey || evt.metaKey) && (k === "y" || k === "Y")) { evt.preventDefault(); this.redo(); return; }
    if (!n || n.removed()) { var first = cy.nodes().first(); if (first.nonempty()) this.focusNode(first); return; }
    if (k === "Enter") { evt.preventDefault(); this.activate(n); return; }
    if (k === "Delete" || k === "Backspace") { evt.preventDefault(); this.run(["c", n.id()]); return; }
    if (k === "i" || k === " ") { evt.preventDefault(); this.showCard(n); return; }
    var dirs = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (!dirs[k]) return;
    evt.preventDefault();
    var d = dirs[k], p = n.position(), best = null, bestScore = Infinity;
    cy.nodes().forEach(function (m) {
      if (m === n) return;
      var q = m.position(), dx = q.x - p.x, dy = q.y - p.y;
      var along = dx * d[0] + dy * d[1];
      if (along <= 0) return;
      var across = Math.abs(dx * d[1] - dy * d[0]);
      var score = along + 2 * across;
      if (score < bestScore) { bestScore = score; best = m; }
    });
    if (best) { this.focusNode(best); cy.center(best); }
  };

  Explorer.prototype.activate = function (n) {
    if (n.hasClass("group")) this.run(["g", n.data("center"), n.data("type")]);
    else this.run(["e", n.id()]);
  };

  // --- the graph model: one edge per pair of entities ------------------
  function pairId(a, b) { return "p:" + (a < b ? a + "\u0001" + b : b + "\u0001" + a); }

  Explorer.prototype.nodeJson = function (n, extra) {
    var d = { id: n.id, name: n.name, kind: n.kind, degree: n.degree || 0, aliases: n.aliases || [],
              label: shortLabel(n.name, n.aliases) };
    for (var k in extra || {}) d[k] = extra[k];
    return { group: "nodes", data: d, classes: "k-" + n.kind };
  };

  // Adds nodes and relations not yet drawn; relations of a drawn pair are
  // merged into its edge. Returns the elements added, for the history,
  // when they grow from a node (`near`); a first picture has no history.
  // `place`, when given, says where each new node goes; else near `near`.
  Explorer.prototype.addGraph = function (nodes, rels, near, place) {
    var cy = this.cy, added = [], pos = near ? near.position() : { x: 0, y: 0 };
    var fresh = [];
    nodes.forEach(function (n) {
      if (cy.getElementById(n.id).nonempty()) return;
      var j = this.nodeJson(n);
      j.position = place ? place(n) : { x: pos.x + (Math.random() - 0.5) * 60, y: pos.y + (Math.random() - 0.5) * 60 };
      fresh.push(j);
    }, this);
    var record = !!near;
    if (fresh.length) { var ns = cy.add(fresh); if (record) added = added.concat(ns.jsons()); }
    var byPair = {};
    rels.forEach(function (r) {
      if (cy.getElementById(r.from).empty() || cy.getElementById(r.to).empty() || r.from === r.to) return;
      var id = pairId(r.from, r.to);
      var e = cy.getElementById(id);
      var key = [r.from, r.to, r.type, r.role || "", r.start || "", r.end || ""].join("\u0001");
      if (e.nonempty()) {
        var rs = e.data("rels");
        if (rs.some(function (x) { return x.key === key; })) return;
        rs.push({ key: key, type: r.type, start: r.start, end: r.end });
        return;
      }
      if (!byPair[id]) byPair[id] = { group: "edges", data: { id: id, source: r.from, target: r.to, rels: [] } };
      if (!byPair[id].data.rels.some(function (x) { return x.key === key; })) {
        byPair[id].data.rels.push({ key: key, type: r.type, start: r.start, end: r.end });
      }
    });
    var edges = Object.keys(byPair).map(function (k) { return byPair[k]; });
    if (edges.length) { var es = cy.add(edges); if (record) added = added.concat(es.jsons()); }
    return added;
  };

  Explorer.prototype.groupNode = function (center, g, loaded) {
    var left = g.total - loaded;
    return { group: "nodes", classes: "group",
             data: { id: "g:" + center + "\u0001" + g.type, group: true, center: center, type: g.type,
                     total: g.total, loaded: loaded, name: "+" + left.toLocaleString("en") + " " + g.type,
                     label: "+" + left.toLocaleString("en") + " " + g.type, kind: "group", degree: left } };
  };

  // --- operations: expand, open a group page, collapse -----------------
  // Each returns a diff {add: [...], remove: [...]} of element JSON.
  Explorer.prototype.expand = function (id) {
    var self = this, cy = this.cy, n = cy.getElementById(id);
    if (n.empty()) return Promise.resolve(null);
    var t0 = performance.now();
    return getJSON("/api/explore/" + encodeURIComponent(id) + "?per_page=" + GROUP_AT).then(function (x) {
      var add = [], nodes = [], rels = [], groups = [];
      x.groups.forEach(function (g) {
        if (g.total > GROUP_AT) {
          if (cy.getElementById("g:" + id + "\u0001" + g.type).empty()) groups.push(g);
          return;
        }
        g.members.forEach(function (m) { nodes.push(m); rels = rels.concat(m.relations); });
      });
      add = self.addGraph(nodes, rels, n);
      groups.forEach(function (g, i) {
        var gj = self.groupNode(id, g, 0);
        // Round the node, each at its own angle: started on one spot, the
        // force layout (which starts from where nodes are) left the groups
        // in a line.
        var a = 2 * Math.PI * i / groups.length;
        gj.position = { x: n.position().x + 60 * Math.cos(a), y: n.position().y + 60 * Math.sin(a) };
        add.push(cy.add(gj).json());
        add.push(cy.add({ group: "edges", classes: "group-edge", data: { id: "ge:" + gj.data.id, source: id, target: gj.data.id, rels: [] } }).json());
      });
      n.data("expanded", true);
      performance.mark("jejaring-expand-" + id);
      self.lastExpandMs = performance.now() - t0;
      return { add: add, remove: [] };
    });
  };

  Explorer.prototype.openGroup = function (center, type) {
    var self = this, cy = this.cy, gid = "g:" + center + "\u0001" + type;
    var g = cy.getElementById(gid), c = cy.getElementById(center);
    if (g.empty() || c.empty()) return Promise.resolve(null);
    var page = Math.floor(g.data("loaded") / PAGE) + 1;
    var t0 = performance.now();
    return getJSON("/api/explore/" + encodeURIComponent(center) + "?type=" + encodeURIComponent(type) +
                   "&per_page=" + PAGE + "&page=" + page).then(function (x) {
      var grp = x.groups[0];
      var nodes = [], rels = [];
      grp.members.forEach(function (m) { nodes.push(m); rels = rels.concat(m.relations); });
      var removed = g.union(g.connectedEdges()).jsons();
      var loaded = g.data("loaded") + grp.members.length;
      var near = g;
      var add = self.addGraph(nodes, rels, near);
      g.union(g.connectedEdges()).remove();
      if (loaded < grp.total) {
        var gj = self.groupNode(center, grp, loaded);
        gj.position = removed[0].position;
        add.push(cy.add(gj).json());
        add.push(cy.add({ group: "edges", classes: "group-edge", data: { id: "ge:" + gid, source: center, target: gid, rels: [] } }).json());
      }
      self.lastGroupMs = performance.now() - t0;
      performance.mark("jejaring-group-" + type);
      return { add: add, remove: removed };
    });
  };

  // Removes the neighbours that hang only from this node (and its groups).
  Explorer.prototype.collapse = function (id) {
    var cy = this.cy, n = cy.getElementById(id);
    if (n.empty()) return Promise.resolve(null);
    var gone = n.neighborhood("node").filter(function (m) {
      return !m.hasClass("root") && m.degree(false) <= 1;
    });
    var removed = gone.union(gone.connectedEdges());
    var json = removed.jsons();
    removed.remove();
    n.data("expanded", false);
    return Promise.resolve({ add: [], remove: json });
  };

  Explorer.prototype.perform = function (op) {
    if (op[0] === "e") return this.expand(op[1]);
    if (op[0] === "g") return this.openGroup(op[1], op[2]);
    if (op[0] === "c") return this.collapse(op[1]);
    return Promise.resolve(null);
  };

  // Runs an operation after the ones before it, records it for undo and
  // in the URL, and lays the picture out again.
  Explorer.prototype.run = function (op, replay) {
    var self = this;
    this.busy = this.busy.then(function () {
      return self.perform(op).then(function (diff) {
        if (!diff) return;
        self.ops.push(op);
        self.history.push(diff);
        self.redoStack = [];
        return self.afterChange(!replay);
      });
    }).catch(function (e) { self.say("Could not load: " + e.message); });
    return this.busy;
  };

  Explorer.prototype.applyDiff = function (diff, backwards) {
    var cy = this.cy;
    var add = backwards ? diff.remove : diff.add, remove = backwards ? diff.add : diff.remove;
    var ids = remove.map(function (j) { return j.data.id; });
    cy.collection(ids.map(function (id) { return cy.getElementById(id); })).remove();
    var nodes = add.filter(function (j) { return j.group === "nodes"; });
    var edges = add.filter(function (j) { return j.group === "edges"; });
    if (nodes.length) cy.add(nodes);
    if (edges.length) cy.add(edges.filter(function (j) {
      return cy.getElementById(j.data.source).nonempty() && cy.getElementById(j.data.target).nonempty();
    }));
  };

  Explorer.prototype.undo = function () {
    var self = this;
    this.busy = this.busy.then(function () {
      var diff = self.history.pop();
      if (!diff) return;
      self.applyDiff(diff, true);
      self.redoStack.push({ diff: diff, op: self.ops.pop() });
      return self.afterChange(false);
    });
    return this.busy;
  };

  Explorer.prototype.redo = function () {
    var self = this;
    this.busy = this.busy.then(function () {
      var r = self.redoStack.pop();
      if (!r) return;
      self.applyDiff(r.diff, false);
      self.history.push(r.diff);
      self.ops.push(r.op);
      return self.afterChange(false);
    });
    return this.busy;
  };

  // Returns a promise kept once the picture is laid out.
  Explorer.prototype.afterChange = function (relayout) {
    var self = this;
    this.undoBtn.disabled = this.history.length === 0;
    this.redoBtn.disabled = this.redoStack.length === 0;
    // One style pass for every label and fade changed, not one each.
    this.cy.batch(function () {
      self.dedupeLabels();
      self.updateWindowRange();
      self.applyWindow();
    });
    var laid = relayout !== false ? this.layout() : Promise.resolve();
    this.saveUrl();
    this.root.setAttribute("data-nodes", this.cy.nodes().not(".group").length);
    this.root.setAttribute("data-edges", this.cy.edges().not(".group-edge").length);
    return laid.then(function () { self.root.setAttribute("data-ops", self.ops.length); });
  };

  // Two different names never show the same label.
  Explorer.prototype.dedupeLabels = function () {
    var seen = {};
    this.cy.nodes().not(".group").forEach(function (n) {
      var l = shortLabel(n.data("name"), n.data("aliases"));
      (seen[l] = seen[l] || []).push(n);
    });
    Object.keys(seen).forEach(function (l) {
      var ns = seen[l];
      var names = {};
      ns.forEach(function (n) { names[n.data("name")] = true; });
      ns.forEach(function (n) {
        var want = Object.keys(names).length > 1 ? middleCut(n.data("name")) : l;
        if (n.data("label") !== want) n.data("label", want);
      });
    });
  };

  // --- layouts --------------------------------------------------------
  // Lays the picture out with the layout chosen. Returns a promise, kept
  // at once unless the force layout's scripts have yet to load (then it
  // runs when they have; the built-in cose stands in if they cannot).
  Explorer.prototype.layout = function () {
    var self = this;
    if (this.layoutName === "force" && !window.cytoscapeFcose && !this.forceFailed) {
      return loadForce().then(useForce, function (e) { self.forceFailed = true; self.say(e.message); })
        .then(function () { self.layout(); });
    }
    this.runLayout();
    return Promise.resolve();
  };

  Explorer.prototype.runLayout = function () {
    var cy = this.cy, name = this.layoutName, opts;
    var rootNode = cy.nodes(".root");
    if (name === "rings") {
      var levels = this.distances();
      opts = { name: "concentric", concentric: function (n) { return 100 - (levels[n.id()] || 0); },
               levelWidth: function () { return 1; }, minNodeSpacing: 18, animate: false, fit: false };
    } else if (name === "ltr") {
      opts = { name: "breadthfirst", roots: rootNode.nonempty() ? rootNode.first() : undefined,
               directed: false, spacingFactor: 1.1, animate: false, fit: false,
               transform: function (n, p) { return { x: p.y * 1.6, y: p.x }; } };
    } else {
      opts = { name: window.cytoscapeFcose ? "fcose" : "cose", quality: "default", randomize: false,
               animate: false, fit: false, nodeRepulsion: 6000, idealEdgeLength: 70, numIter: 1500 };
      var pinned = cy.nodes(".pinned");
      if (pinned.nonempty() && window.cytoscapeFcose) {
        opts.fixedNodeConstraint = pinned.map(function (n) {
          return { nodeId: n.id(), position: { x: n.position().x, y: n.position().y } };
        });
      }
    }
    var t0 = performance.now();
    performance.mark("jejaring-layout-start");
    cy.layout(opts).run();
    this.fitView();
    performance.mark("jejaring-layout-end");
    performance.measure("jejaring-layout", "jejaring-layout-start", "jejaring-layout-end");
    this.lastLayoutMs = performance.now() - t0;
    this.root.setAttribute("data-layout-ms", Math.round(this.lastLayoutMs));
  };

  // Fits the picture to the canvas from the nodes' positions alone:
  // cytoscape's own fit measures every label first, which costs more than
  // a ring layout of 500 nodes. A handful of nodes is not blown up to fill
  // the canvas.
  Explorer.prototype.fitView = function () {
    var cy = this.cy, nodes = cy.nodes();
    if (nodes.empty()) return;
    var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    nodes.forEach(function (n) {
      var p = n.position();
      if (p.x < x1) x1 = p.x;
      if (p.x > x2) x2 = p.x;
      if (p.y < y1) y1 = p.y;
      if (p.y > y2) y2 = p.y;
    });
    var pad = 30, w = cy.width(), h = cy.height();
    // Room for a node and, below it, its label.
    var bw = x2 - x1 + 2 * NODE_R + 60, bh = y2 - y1 + 2 * NODE_R + 20;
    var z = Math.min((w - 2 * pad) / bw, (h - 2 * pad) / bh);
    z = Math.max(cy.minZoom(), Math.min(z, 1.6));
    cy.viewport({ zoom: z, pan: { x: w / 2 - z * (x1 + x2) / 2, y: h / 2 - z * (y1 + y2 + 14) / 2 } });
  };

  // Hops from the root node(s), for rings.
  Explorer.prototype.distances = function () {
    var cy = this.cy, out = {}, frontier = cy.nodes(".root"), d = 0;
    frontier.forEach(function (n) { out[n.id()] = 0; });
    while (frontier.nonempty()) {
      d += 1;
      var next = frontier.neighborhood("node").filter(function (n) { return out[n.id()] === undefined; });
      next.forEach(function (n) { out[n.id()] = d; });
      frontier = next;
    }
    return out;
  };

  // --- time window ----------------------------------------------------
  Explorer.prototype.updateWindowRange = function () {
    var lo = Infinity, hi = -Infinity;
    this.cy.edges().forEach(function (e) {
      (e.data("rels") || []).forEach(function (r) {
        [year(r.start), year(r.end)].forEach(function (y) { if (y) { lo = Math.min(lo, y); hi = Math.max(hi, y); } });
      });
    });
    if (lo === Infinity) { lo = hi = new Date().getFullYear(); }
    var wasFull = this.from.value === this.from.min && this.until.value === this.until.max;
    var fresh = this.from.min === "" || this.from.min === undefined || !this.rangeSet;
    this.from.min = this.until.min = lo;
    this.from.max = this.until.max = hi;
    if (fresh || wasFull) { this.from.value = lo; this.until.value = hi; }
    this.rangeSet = true;
  };

  Explorer.prototype.applyWindow = function () {
    var lo = +this.from.value, hi = +this.until.value, undated = this.undated.checked;
    this.windowText.textContent = lo + "–" + hi;
    this.cy.edges().not(".group-edge").forEach(function (e) {
      var rels = e.data("rels") || [];
      var inside = rels.some(function (r) {
        var s = year(r.start), t = year(r.end);
        if (!s && !t) return undated;
        return (s || -Infinity) <= hi && (t || s || Infinity) >= lo;
      });
      // Only a change is written: each write restyles the edge.
      if (inside === e.hasClass("faded")) e.toggleClass("faded", !inside);
    });
  };

  // --- panels ---------------------------------------------------------
  Explorer.prototype.clearPanel = function (title) {
    this.panel.textContent = "";
    var h = el("h3", "", title);
    this.panel.appendChild(h);
    return h;
  };

  Explorer.prototype.showCard = function (n) {
    var d = n.data();
    if (d.group) {
      this.clearPanel(d.label);
      this.panel.appendChild(el("p", "", "Neighbours of this type, most connected first. Double-click or press Enter to open the next " + PAGE + "."));
      return;
    }
    this.clearPanel(d.name);
    var p = el("p", "meta", d.kind + " · " + d.id + " · " + d.degree + " relations");
    this.panel.appendChild(p);
    if (d.aliases && d.aliases.length) this.panel.appendChild(el("p", "", "Also known as: " + d.aliases.join(", ")));
    var a = el("a", "x-open", "Open the page of " + d.name);
    a.href = "/entity/" + encodeURIComponent(d.id);
    this.panel.appendChild(a);
  };

  Explorer.prototype.showEdge = function (e) {
    var self = this;
    if (e.hasClass("group-edge")) return;
    var a = e.source().data(), b = e.target().data();
    this.clearPanel(a.name + " — " + b.name);
    var list = el("ol", "x-rels");
    this.panel.appendChild(list);
    getJSON("/api/relations-between?a=" + encodeURIComponent(a.id) + "&b=" + encodeURIComponent(b.id)).then(function (x) {
      x.relations.forEach(function (r) {
        var li = el("li", "x-rel");
        li.appendChild(el("span", "type", r.type));
        if (r.role) li.appendChild(el("span", "meta", " (" + r.role + ")"));
        li.appendChild(el("span", "when", " " + when(r)));
        li.appendChild(el("div", "meta", r.from + " → " + r.to));
        if (r.evidence) li.appendChild(el("q", "evidence", r.evidence));
        var src = el("div", "source");
        src.appendChild(document.createTextNode("Source: "));
        var t;
        if (r.url) { t = el("a", "ext", r.source_title); t.href = r.url; t.rel = "noreferrer"; }
        else { t = el("a", "", r.source_title); t.href = "/source/" + encodeURIComponent(r.source); }
        src.appendChild(t);
        var bits = [r.publisher, r.source_published].filter(Boolean).join(", ");
        if (bits) src.appendChild(document.createTextNode(" — " + bits));
        li.appendChild(src);
        list.appendChild(li);
      });
      if (x.total > x.relations.length) self.panel.appendChild(el("p", "meta", x.relations.length + " of " + x.total + " shown."));
      self.panel.setAttribute("data-loaded", x.total);
    }).catch(function (err) { self.panel.appendChild(el("p", "", "Could not load: " + err.message)); });
  };

  // --- state in the URL -----------------------------------------------
  Explorer.prototype.saveUrl = function () {
    if (this.restoring) return;
    var parts = [];
    if (this.ops.length) parts.push("ops=" + encodeURIComponent(this.ops.map(function (o) { return o.join("~"); }).join("!")));
    if (this.layoutName !== this.defaultLayout) parts.push("layout=" + this.layoutName);
    if (this.rangeSet && (this.from.value !== this.from.min || this.until.value !== this.until.max)) {
      parts.push("window=" + this.from.value + "-" + this.until.value);
    }
    if (!this.undated.checked) parts.push("undated=0");
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (location.hash !== hash) history.replaceState(null, "", location.pathname + location.search + hash);
  };

  Explorer.prototype.restore = function () {
    var self = this, h = this.initialHash, state = {};
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) state[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
    });
    if (state.layout && ["force", "rings", "ltr"].indexOf(state.layout) >= 0) {
      this.layoutName = state.layout; this.layoutSelect.value = state.layout;
    }
    if (state.undated === "0") this.undated.checked = false;
    var ops = state.ops ? state.ops.split("!").map(function (o) { return o.split("~"); }) : [];
    this.restoring = true;
    var p = Promise.resolve();
    ops.forEach(function (op) { p = p.then(function () { return self.run(op, true); }); });
    return p.then(function () {
      if (state.window) {
        var w = state.window.split("-");
        self.from.value = w[0]; self.until.value = w[1];
      }
      self.restoring = false;
      // The first picture is already in place when nothing was done to it
      // and its layout is the one it was drawn with.
      return self.afterChange(ops.length > 0 || self.layoutName !== self.placedWith);
    });
  };

  // --- exports of exactly what is visible -------------------------------
  function xml(s) {
    return String(s).replace(/[<>&"']/g, function (c) {
      return { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" }[c];
    });
  }
  function csvCell(s) {
    s = String(s == null ? "" : s);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  Explorer.prototype.visible = function () {
    var nodes = this.cy.nodes().not(".group");
    var edges = this.cy.edges().not(".group-edge").not(".faded").filter(function (e) {
      return e.source().visible() && e.target().visible();
    });
    return { nodes: nodes, edges: edges };
  };

  Explorer.prototype.fileBase = function () {
    var subject = this.entity || "view";
    return "jejaring-" + subject.replace(/[^A-Za-z0-9_-]+/g, "-") + "-canvas";
  };

  Explorer.prototype.exportView = function (fmt) {
    var v = this.visible(), text, mime, name = this.fileBase();
    if (fmt === "png") {
      var blob = this.cy.png({ output: "blob", full: true, bg: cssVar("--bg", "#fff"), scale: 2 });
      return this.download(blob, name + ".png");
    }
    if (fmt === "svg") { text = this.svg(v); mime = "image/svg+xml"; name += ".svg"; }
    if (fmt === "gexf") {
      text = '<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">\n<graph defaultedgetype="undirected">\n' +
        '<attributes class="node"><attribute id="kind" title="kind" type="string"/></attributes>\n' +
        '<attributes class="edge"><attribute id="types" title="types" type="string"/></attributes>\n<nodes>\n' +
        v.nodes.map(function (n) { return '<node id="' + xml(n.id()) + '" label="' + xml(n.data("name")) + '"><attvalues><attvalue for="kind" value="' + xml(n.data("kind")) + '"/></attvalues></node>'; }).join("\n") +
        '\n</nodes>\n<edges>\n' +
        v.edges.map(function (e, i) { return '<edge id="' + i + '" source="' + xml(e.source().id()) + '" target="' + xml(e.target().id()) + '" weight="' + e.data("rels").length + '"><attvalues><attvalue for="types" value="' + xml(types(e)) + '"/></attvalues></edge>'; }).join("\n") +
        '\n</edges>\n</graph>\n</gexf>\n';
      mime = "application/gexf+xml"; name += ".gexf";
    }
    if (fmt === "graphml") {
      text = '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n' +
        '<key id="name" for="node" attr.name="name" attr.type="string"/>\n<key id="kind" for="node" attr.name="kind" attr.type="string"/>\n' +
        '<key id="types" for="edge" attr.name="types" attr.type="string"/>\n<graph edgedefault="undirected">\n' +
        v.nodes.map(function (n) { return '<node id="' + xml(n.id()) + '"><data key="name">' + xml(n.data("name")) + '</data><data key="kind">' + xml(n.data("kind")) + '</data></node>'; }).join("\n") + "\n" +
        v.edges.map(function (e) { return '<edge source="' + xml(e.source().id()) + '" target="' + xml(e.target().id()) + '"><data key="types">' + xml(types(e)) + '</data></edge>'; }).join("\n") +
        '\n</graph>\n</graphml>\n';
      mime = "application/graphml+xml"; name += ".graphml";
    }
    if (fmt === "csv") {
      text = "Source,Target,Type,Label,Weight\n" + v.edges.map(function (e) {
        return [e.source().id(), e.target().id(), "Undirected", types(e), e.data("rels").length].map(csvCell).join(",");
      }).join("\n") + "\n";
      mime = "text/csv"; name += "-edges.csv";
    }
    if (fmt === "nodes.csv") {
      text = "Id,Label,kind\n" + v.nodes.map(function (n) {
        return [n.id(), n.data("name"), n.data("kind")].map(csvCell).join(",");
      }).join("\n") + "\n";
      mime = "text/csv"; name += "-nodes.csv";
    }
    this.lastExport = text;
    this.root.setAttribute("data-last-export", name);
    this.download(new Blob([text], { type: mime }), name);
  };

  function types(e) {
    var t = {};
    (e.data("rels") || []).forEach(function (r) { t[r.type] = true; });
    return Object.keys(t).sort().join(";");
  }

  Explorer.prototype.svg = function (v) {
    var bb = this.cy.elements().boundingBox(), pad = 20;
    var out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="' + (bb.x1 - pad) + " " + (bb.y1 - pad) + " " + (bb.w + 2 * pad) + " " + (bb.h + 2 * pad) + '">'];
    v.edges.forEach(function (e) {
      var a = e.source().position(), b = e.target().position();
      out.push('<line x1="' + a.x + '" y1="' + a.y + '" x2="' + b.x + '" y2="' + b.y + '" stroke="#888"/>');
    });
    v.nodes.forEach(function (n) {
      var p = n.position();
      out.push('<g><title>' + xml(n.data("name")) + '</title><circle cx="' + p.x + '" cy="' + p.y + '" r="10" fill="' +
               xml(cssVar("--k-" + n.data("kind"), "#888")) + '" stroke="#222"/><text x="' + p.x + '" y="' + (p.y + 24) +
               '" text-anchor="middle" font-size="11" font-family="sans-serif">' + xml(n.data("label")) + "</text></g>");
    });
    out.push("</svg>\n");
    return out.join("\n");
  };

  Explorer.prototype.download = function (blob, name) {
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  };

  // --- the first picture of each page ---------------------------------
  Explorer.prototype.start = function () {
    var self = this, cy = this.cy;
    // The view asked for by the URL, read before the first picture is
    // drawn (drawing it writes the URL).
    this.initialHash = location.hash.replace(/^#/, "");
    this.restoring = true;
    performance.mark("jejaring-start");
    var params = new URLSearchParams(location.search);
    params.delete("page");
    var first;
    if (this.mode === "entity") {
      first = getJSON("/api/explore/" + encodeURIComponent(this.entity) + "?per_page=1").then(function (x) {
        cy.add(self.nodeJson(x.center, {})).addClass("root");
        return self.expand(self.entity);
      });
    } else if (this.mode === "neighbours") {
      first = this.neighbourhood(params);
    } else {
      first = getJSON("/api/path?" + params.toString()).then(function (x) {
        var nodes = [], rels = [];
        // A time-respecting path answers its one path as nodes and hops.
        if (x.chronological) {
          x.paths = x.nodes.length ? [{ nodes: x.nodes, edges: x.hops.map(function (h) { return h.relation; }) }] : [];
        }
        x.paths.forEach(function (p) { nodes = nodes.concat(p.nodes); rels = rels.concat(p.edges); });
        self.addGraph(nodes, rels, null);
        cy.getElementById(x.from.id).addClass("root");
        self.paths = x.paths;
        self.listPaths();
      });
    }
    this.defaultLayout = this.layoutName;
    return first.then(function () {
      performance.mark("jejaring-data");
      self.fallback.hidden = true;
      // The layout waits for the view the URL asks for, so it runs once.
      self.afterChange(false);
      return self.restore();
    }).then(function () {
      // Interactive once the first frame is on the screen.
      return new Promise(function (resolve) {
        var done = function () { if (resolve) { resolve(); resolve = null; } };
        cy.one("render", done);
        requestAnimationFrame(function () { requestAnimationFrame(done); });
      });
    }).then(function () {
      self.root.setAttribute("data-ready", "1");
      performance.mark("jejaring-ready");
    }).catch(function (e) {
      // The server picture comes back: the page is still whole without
      // the canvas.
      self.root.hidden = true;
      restoreFallback(self.fallback);
      self.say("The canvas could not load: " + e.message);
    });
  };

  // The neighbourhood page's first picture: the entities and relations the
  // page carries (`#explorer-data`), at the places of the server's ring
  // picture, so nothing waits for a request or a layout. Relations past
  // the page's first page come from the API, a page at a time.
  Explorer.prototype.neighbourhood = function (params) {
    var self = this, cy = this.cy, block = document.getElementById("explorer-data");
    var x;
    try { x = JSON.parse(block.textContent); } catch (e) { return Promise.reject(e); }
    var scale = NODE_R / (x.radius || NODE_R) * 1.3;
    var url = "/api/neighbours/" + encodeURIComponent(this.entity) + "?";
    params.set("per_page", String(x.per_page));
    var more = function (edges, page) {
      if (page * x.per_page >= x.total) return edges;
      params.set("page", String(page + 1));
      return getJSON(url + params.toString()).then(function (y) { return more(edges.concat(y.edges), page + 1); });
    };
    return Promise.resolve(more(x.edges, 1)).then(function (edges) {
      cy.batch(function () {
        self.addGraph(x.nodes, edges, null, function (n) { return { x: n.x * scale, y: n.y * scale }; });
        cy.getElementById(x.center).addClass("root");
      });
      self.placedWith = "rings";
      self.fitView();
    });
  };

  Explorer.prototype.listPaths = function () {
    var self = this, cy = this.cy;
    var ol = el("ol", "x-path-list");
    this.paths.forEach(function (p, i) {
      var li = el("li");
      var b = el("button", "x-path", "Path " + (i + 1) + ": " + p.nodes.map(function (n) { return n.name; }).join(" → "));
      b.type = "button";
      b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", function () {
        var on = b.getAttribute("aria-pressed") !== "true";
        ol.querySelectorAll("button").forEach(function (o) { o.setAttribute("aria-pressed", "false"); });
        cy.elements().removeClass("path-hl path-dim");
        if (on) {
          b.setAttribute("aria-pressed", "true");
          var keep = cy.collection();
          p.nodes.forEach(function (n, j) {
            keep = keep.union(cy.getElementById(n.id));
            if (j > 0) keep = keep.union(cy.getElementById(pairId(p.nodes[j - 1].id, n.id)));
          });
          cy.elements().not(keep).addClass("path-dim");
          keep.edges().addClass("path-hl");
        }
      });
      li.appendChild(b);
      ol.appendChild(li);
    });
    this.pathList.appendChild(ol);
  };

  // Parses the server picture back from its <noscript> text (app.js).
  function restoreFallback(fig) {
    fig.removeAttribute("data-canvas");
    fig.hidden = false;
    if (window.jejaringRestorePicture) window.jejaringRestorePicture(fig);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("explorer");
    if (!root) return;
    var prev = root.previousElementSibling;
    while (prev && !prev.matches("figure.picture")) prev = prev.previousElementSibling;
    var fallback = prev || document.createElement("div");
    if (!window.cytoscape) { restoreFallback(fallback); return; }
    var x = new Explorer(root);
    x.fallback = fallback;
    // The canvas takes the figure over: its picture stays unparsed text
    // (and the empty figure takes no room) unless the canvas fails.
    fallback.setAttribute("data-canvas", "1");
    fallback.hidden = true;
    try {
      x.build();
    } catch (e) {
      root.hidden = true;
      restoreFallback(fallback);
      return;
    }
    window.jejaringExplorer = x; // for the browser tests and the bench
    x.start();
  });
})();

// jejaring: small enhancements over pages that work without JavaScript.
// Pan/zoom and hover highlighting on pictures, search suggestions, copy
// buttons for citations. No framework, no inline code (the CSP forbids it).
(function () {
  "use strict";

  // --- pictures: pan, zoom, highlight a node's relations on hover -------
  function enhancePicture(svg) {
    var vb = svg.viewBox.baseVal;
    if (!vb) return;
    var home = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
    function set(x, y, w, h) { svg.setAttribute("viewBox", [x, y, w, h].join(" ")); }
    function zoom(factor, cx, cy) {
      var v = svg.viewBox.baseVal;
      var w = Math.min(home.w * 4, Math.max(home.w / 12, v.width * factor));
      var h = w * v.height / v.width;
      if (cx === undefined) { cx = v.x + v.width / 2; cy = v.y + v.height / 2; }
      set(cx - (cx - v.x) * w / v.width, cy - (cy - v.y) * h / v.height, w, h);
    }
    function toSvg(evt) {
      var r = svg.getBoundingClientRect(), v = svg.viewBox.baseVal;
      var s = Math.max(v.width / r.width, v.height / r.height);
      var ox = (r.width * s - v.width) / 2, oy = (r.height * s - v.height) / 2;
      return { x: v.x - ox + (evt.clientX - r.left) * s, y: v.y - oy + (evt.clientY - r.top) * s, s: s };
    }
    svg.addEventListener("wheel", function (evt) {
      if (!evt.ctrlKey && !evt.metaKey && !svg.classList.contains("zoomed")) return; // let the page scroll
      evt.preventDefault();
      var p = toSvg(evt);
      zoom(evt.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (evt) {
      if (evt.target.closest && evt.target.closest("a")) return;
      var v = svg.viewBox.baseVal, r = svg.getBoundingClientRect();
      drag = { cx: evt.clientX, cy: evt.clientY, x: v.x, y: v.y,
               s: Math.max(v.width / r.width, v.height / r.height) };
      svg.setPointerCapture(evt.pointerId);
    });
    svg.addEventListener("pointermove", function (evt) {
      if (!drag) return;
      var v = svg.viewBox.baseVal;
      set(drag.x - (evt.clientX - drag.cx) * drag.s, drag.y - (evt.clientY - drag.cy) * drag.s, v.width, v.height);
    });
    svg.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("pointercancel", function () { drag = null; });

    var bar = document.createElement("div");
    bar.className = "zoom";
    [["+", "Zoom in", function () { svg.classList.add("zoomed"); zoom(1 / 1.3); }],
     ["−", "Zoom out", function () { zoom(1.3); }],
     ["⟲", "Reset view", function () { svg.classList.remove("zoomed"); set(home.x, home.y, home.w, home.h); }]]
      .forEach(function (b) {
        var btn = document.createElement("button");
        btn.type = "button"; btn.textContent = b[0]; btn.title = b[1];
        btn.setAttribute("aria-label", b[1]);
        btn.addEventListener("click", b[2]);
        bar.appendChild(btn);
      });
    svg.parentNode.appendChild(bar);

    var edges = svg.querySelectorAll(".edge");
    function light(n) {
      svg.classList.add("dim");
      edges.forEach(function (e) {
        if (e.getAttribute("data-a") === n || e.getAttribute("data-b") === n) e.classList.add("hl");
      });
    }
    function unlight() {
      svg.classList.remove("dim");
      edges.forEach(function (e) { e.classList.remove("hl"); });
    }
    svg.querySelectorAll("a.node").forEach(function (a) {
      var n = a.getAttribute("data-n");
      a.addEventListener("mouseenter", function () { light(n); });
      a.addEventListener("mouseleave", unlight);
      a.addEventListener("focus", function () { light(n); });
      a.addEventListener("blur", unlight);
    });
  }

  // --- search suggestions through a datalist ---------------------------
  var listCount = 0;
  function enhanceSuggest(input) {
    var list = document.createElement("datalist");
    list.id = "suggest-" + (++listCount);
    document.body.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null, last = "";
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q === last || q.length < 2) return;
      last = q;
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch("/api/search?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.hits.forEach(function (h) {
              var o = document.createElement("option");
              o.value = h.name;
              o.label = h.kind + (h.matched ? " — " + h.matched : "");
              list.appendChild(o);
            });
          })
          .catch(function () {});
      }, 120);
    });
  }

  // --- copy buttons for citations --------------------------------------
  function enhanceCite(area) {
    var btn = document.createElement("button");
    btn.type = "button";
    btn.textContent = "Copy citation";
    btn.addEventListener("click", function () {
      var done = function () { btn.textContent = "Copied"; setTimeout(function () { btn.textContent = "Copy citation"; }, 1500); };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(area.value).then(done, function () { area.select(); document.execCommand("copy"); done(); });
      } else { area.select(); document.execCommand("copy"); done(); }
    });
    area.parentNode.appendChild(btn);
  }

  // --- the server picture kept in <noscript> --------------------------
  // Pages with the canvas carry their server picture inside <noscript>:
  // with scripting on, the browser keeps it as text and never builds or
  // lays out its thousands of shapes. When the canvas cannot start, the
  // picture is parsed back from that text (the explorer calls this; so
  // does the page's load when the explorer never took the figure over).
  function restorePicture(fig) {
    var ns = fig.querySelector("noscript");
    if (!ns) return;
    var t = document.createElement("template");
    t.innerHTML = ns.textContent;
    ns.replaceWith(t.content);
    fig.hidden = false;
    fig.querySelectorAll("svg").forEach(enhancePicture);
  }
  window.jejaringRestorePicture = restorePicture;
  window.addEventListener("load", function () {
    document.querySelectorAll("figure.picture:not([data-canvas])").forEach(restorePicture);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure.picture svg").forEach(enhancePicture);
    document.querySelectorAll("input[data-suggest]").forEach(enhanceSuggest);
    document.querySelectorAll("textarea.cite").forEach(enhanceCite);
  });
})();

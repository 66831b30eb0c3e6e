// The workbench's result views beyond the table, as YASR plugins: a bar chart and a timeline
// (Observable Plot, SVG) and a node-link graph (Cytoscape.js, canvas). Each loads its library
// from /static/vendor when first drawn, names IRIs like the table and links them to this server.
(function () {
  "use strict";
  const W = window.Workbench;
  const t = W.t;
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = new Set(
    ["integer", "decimal", "double", "float", "int", "long", "short", "byte",
     "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
     "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"].map((n) => XSD + n)
  );
  const DATES = new Set(["date", "dateTime", "dateTimeStamp", "gYear", "gYearMonth"].map((n) => XSD + n));
  const ISO_DATE = /^-?\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
  const BAND = "#1f5f8b";
  const SVG = "http://www.w3.org/2000/svg";
  const line = (x1, y1, x2, y2) => ["line", { x1, y1, x2, y2, stroke: "currentColor", "stroke-width": 1.5 }];
  const ICONS = {
    chart: [
      line(1, 15, 15, 15),
      ["rect", { x: 2, y: 7, width: 3, height: 7, fill: "currentColor" }],
      ["rect", { x: 7, y: 3, width: 3, height: 11, fill: "currentColor" }],
      ["rect", { x: 12, y: 9, width: 3, height: 5, fill: "currentColor" }],
    ],
    timeline: [
      line(1, 8, 15, 8),
      ["circle", { cx: 3, cy: 8, r: 2, fill: "currentColor" }],
      ["circle", { cx: 8, cy: 8, r: 2, fill: "currentColor" }],
      ["circle", { cx: 13, cy: 8, r: 2, fill: "currentColor" }],
    ],
    graph: [
      line(3, 3, 13, 7),
      line(3, 3, 6, 13),
      line(13, 7, 6, 13),
      ["circle", { cx: 3, cy: 3, r: 2.2, fill: "currentColor" }],
      ["circle", { cx: 13, cy: 7, r: 2.2, fill: "currentColor" }],
      ["circle", { cx: 6, cy: 13, r: 2.2, fill: "currentColor" }],
    ],
  };
  const MAX_BARS = 200;
  const MAX_ITEMS = 300;
  const MAX_NODES = 300;

  function isSelect(yasr) {
    const results = yasr.results;
    return !!results && results.getType() !== "ttl" && (results.getVariables() || []).length > 0;
  }

  function rows(yasr) {
    return yasr.results.getBindings() || [];
  }

  function isNumber(value) {
    return !!value && value.type !== "uri" && NUMERIC.has(value.datatype) && isFinite(Number(value.value));
  }

  function isDate(value) {
    if (!value || value.type === "uri" || value.type === "bnode") return false;
    if (value.datatype) return DATES.has(value.datatype) && ISO_DATE.test(value.value);
    return false;
  }

  function toDate(value) {
    const text = value.value;
    if (/^-?\d{4}$/.test(text)) return new Date(Date.UTC(Number(text), 0, 1));
    if (/^-?\d{4}-\d{2}$/.test(text)) return new Date(`${text}-01T00:00:00Z`);
    if (/^-?\d{4}-\d{2}-\d{2}$/.test(text)) return new Date(`${text}T00:00:00Z`);
    return new Date(text);
  }

  // Dates on the axis in the page's language (Plot's own ticks name months in English), as
  // precise as the span needs: years, months or days.
  function dateTicks(data) {
    const times = data.flatMap((d) => (d.to ? [d.from, d.to] : [d.from])).map((d) => d.getTime());
    const span = times.length ? Math.max(...times) - Math.min(...times) : 0;
    const DAY = 864e5;
    const parts =
      span > 3 * 365 * DAY
        ? { year: "numeric" }
        : span > 90 * DAY
          ? { year: "numeric", month: "short" }
          : { month: "short", day: "numeric" };
    const locale = W.config.lang === "zh" ? "zh-CN" : "en-GB";
    const format = new Intl.DateTimeFormat(locale, { ...parts, timeZone: "UTC" });
    return (date) => format.format(date);
  }

  function day(date) {
    return date.toISOString().slice(0, 10);
  }

  // an item's tooltip: its name and its date, or the dates it spans
  function when(item) {
    return item.to ? `${item.name}: ${day(item.from)} – ${day(item.to)}` : `${item.name}: ${day(item.from)}`;
  }

  // columns whose every bound value passes `test` (and at least one is bound)
  function columnsWhere(yasr, test) {
    return yasr.results.getVariables().filter((name) => {
      let bound = 0;
      for (const row of rows(yasr)) {
        if (!row[name]) continue;
        if (!test(row[name])) return false;
        bound += 1;
      }
      return bound > 0;
    });
  }

  function shown(names, value) {
    if (!value) return "";
    if (value.type === "uri") return names.name(value.value);
    return value.value;
  }

  function link(value) {
    return value && value.type === "uri" ? W.href(value.value) : null;
  }

  function select(label, options, chosen, onChange) {
    const wrapper = document.createElement("label");
    wrapper.className = "view-control";
    wrapper.append(`${label} `);
    const field = document.createElement("select");
    for (const [value, text] of options) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = text;
      option.selected = value === chosen;
      field.append(option);
    }
    field.addEventListener("change", () => onChange(field.value));
    wrapper.append(field);
    return wrapper;
  }

  function message(container, text) {
    const p = document.createElement("p");
    p.className = "workbench-notice";
    p.textContent = text;
    container.append(p);
  }

  // What every view shares: the library it loads, its place in YASR, its controls.
  class View {
    constructor(yasr, name, library) {
      this.yasr = yasr;
      this.name = name;
      this.library = library;
      this.priority = 1; // the table stays the default
      this.persistentConfig = {};
    }

    // YASR draws nothing when this fails: the failure is kept and the draw says it
    initialize() {
      return W.loadScripts(W.config.views[this.library]).then(
        () => {
          this.failed = null;
        },
        (error) => {
          this.failed = error;
        }
      );
    }

    unavailable() {
      if (!this.failed) return false;
      message(this.container(), t("view_failed", { error: this.failed.message }));
      return true;
    }

    // an SVG icon (YASR hides a button's spans on narrow screens, keeping its icon)
    getIcon() {
      const icon = document.createElementNS(SVG, "svg");
      icon.setAttribute("viewBox", "0 0 16 16");
      icon.setAttribute("width", "15");
      icon.setAttribute("height", "15");
      icon.setAttribute("aria-hidden", "true");
      icon.setAttribute("class", `view-icon view-icon-${this.name}`);
      for (const [tag, attributes] of ICONS[this.name]) {
        const shape = document.createElementNS(SVG, tag);
        for (const [name, value] of Object.entries(attributes)) shape.setAttribute(name, value);
        icon.append(shape);
      }
      return icon;
    }

    store(settings) {
      this.persistentConfig = { ...this.persistentConfig, ...settings };
      this.yasr.storePluginConfig(this.name, this.persistentConfig);
    }

    controls(...elements) {
      this.removeControls();
      this.controlsEl = document.createElement("div");
      this.controlsEl.className = "view-controls";
      this.controlsEl.append(...elements);
      this.yasr.pluginControls.append(this.controlsEl);
    }

    removeControls() {
      if (this.controlsEl) this.controlsEl.remove();
      this.controlsEl = null;
    }

    destroy() {
      this.removeControls();
    }

    // The start of every draw: keep the stored settings (when YASR passes them), then the names
    // for this draw, or null when the view cannot draw (its library failed to load: it says so)
    // or another draw has started meanwhile.
    async begin(persistentConfig) {
      if (persistentConfig !== undefined) this.persistentConfig = { ...persistentConfig };
      if (this.unavailable()) return null;
      return this.names();
    }

    // The names for this draw, or null when YASR has started another draw meanwhile (it draws
    // a stored answer, then the fresh one): the latest draw alone puts anything on the page.
    async names() {
      const ticket = (this.ticket = (this.ticket || 0) + 1);
      const names = await W.namesFor(this.yasr);
      return ticket === this.ticket ? names : null;
    }

    // Long names are cut to fit beside the bars: a third of the width at most on a phone.
    axis(box, data) {
      const width = this.width(box);
      const chars = width < 600 ? 16 : 40;
      const longest = Math.max(0, ...data.map((d) => Math.min(d.name.length, chars)));
      return {
        width: width,
        marginLeft: Math.min(Math.floor(width * 0.45), 20 + 7 * longest),
        tick: (name) => (name.length > chars ? `${name.slice(0, chars - 1)}…` : name),
      };
    }

    // A plot with one row per datum, each named on the y axis (cut to fit), marked with how
    // many rows it drew (`counted`, a data- attribute the tests read).
    plotRows(data, x, marks, topHeight, counted) {
      const box = this.container();
      const byKey = new Map(data.map((d) => [d.key, d.name]));
      const axis = this.axis(box, data);
      const chart = Plot.plot({
        width: axis.width,
        height: topHeight + 22 * data.length,
        marginLeft: axis.marginLeft,
        x: x,
        y: {
          label: null,
          domain: data.map((d) => d.key),
          tickFormat: (key) => axis.tick(byKey.get(key) || ""),
        },
        marks: marks,
      });
      chart.setAttribute(counted, String(data.length));
      box.append(chart);
    }

    container() {
      for (const old of this.yasr.resultsEl.querySelectorAll(".workbench-view")) old.remove();
      const box = document.createElement("div");
      box.className = `workbench-view view-${this.name}`;
      this.yasr.resultsEl.append(box);
      return box;
    }

    width(box) {
      return Math.max(320, Math.floor(box.clientWidth || this.yasr.resultsEl.clientWidth || 640));
    }
  }

  // Bars: one per value of a column (summed over its rows), as long as a numeric column, or
  // the number of rows with that value.
  class ChartView extends View {
    constructor(yasr) {
      super(yasr, "chart", "plot");
      this.label = t("view_chart");
    }

    canHandleResults() {
      return isSelect(this.yasr) && rows(this.yasr).length > 0;
    }

    async draw(persistentConfig) {
      const names = await this.begin(persistentConfig);
      if (!names) return;
      const variables = this.yasr.results.getVariables();
      const numeric = columnsWhere(this.yasr, isNumber);
      const categories = variables.filter((v) => !numeric.includes(v));
      let category = this.persistentConfig.category;
      if (!variables.includes(category)) category = categories[0] || variables[0];
      let measure = this.persistentConfig.value;
      if (measure !== "" && !numeric.includes(measure)) measure = numeric.find((v) => v !== category) || "";
      measure = measure || "";
      this.controls(
        select(t("chart_category"), variables.map((v) => [v, `?${v}`]), category, (value) => {
          this.store({ category: value });
          this.yasr.draw();
        }),
        select(
          t("chart_value"),
          [["", t("chart_count")], ...numeric.map((v) => [v, `?${v}`])],
          measure,
          (value) => {
            this.store({ value: value });
            this.yasr.draw();
          }
        )
      );
      const bars = new Map();
      for (const row of rows(this.yasr)) {
        const value = row[category];
        const key = value ? `${value.type}:${value.value}` : "";
        const bar = bars.get(key) || { key: key, name: shown(names, value), href: link(value), length: 0 };
        bar.length += measure ? Number(row[measure] ? row[measure].value : 0) : 1;
        bars.set(key, bar);
      }
      const data = [...bars.values()].sort((a, b) => b.length - a.length).slice(0, MAX_BARS);
      this.plotRows(
        data,
        { grid: true, label: measure ? `?${measure}` : t("chart_count") },
        [
          Plot.barX(data, { x: "length", y: "key", fill: BAND, href: "href", title: (d) => `${d.name}: ${d.length}` }),
          Plot.ruleX([0]),
        ],
        40,
        "data-bars"
      );
    }
  }

  // Rows on a time axis: a dot at a date, or a bar from one date to another, one lane per row.
  class TimelineView extends View {
    constructor(yasr) {
      super(yasr, "timeline", "plot");
      this.label = t("view_timeline");
    }

    canHandleResults() {
      return isSelect(this.yasr) && columnsWhere(this.yasr, isDate).length > 0;
    }

    async draw(persistentConfig) {
      const names = await this.begin(persistentConfig);
      if (!names) return;
      const variables = this.yasr.results.getVariables();
      const dates = columnsWhere(this.yasr, isDate);
      const others = variables.filter((v) => !dates.includes(v));
      let start = this.persistentConfig.start;
      if (!dates.includes(start)) start = dates[0];
      let end = this.persistentConfig.end;
      if (end !== "" && (!dates.includes(end) || end === start)) end = dates.find((d) => d !== start) || "";
      let label = this.persistentConfig.label;
      if (!variables.includes(label)) label = others[0] || start;
      const choose = (setting) => (value) => {
        this.store({ [setting]: value });
        this.yasr.draw();
      };
      this.controls(
        select(t("timeline_date"), dates.map((v) => [v, `?${v}`]), start, choose("start")),
        select(t("timeline_end"), [["", t("timeline_none")], ...dates.filter((d) => d !== start).map((v) => [v, `?${v}`])], end, choose("end")),
        select(t("timeline_label"), variables.map((v) => [v, `?${v}`]), label, choose("label"))
      );
      const items = [];
      rows(this.yasr).forEach((row, index) => {
        if (!isDate(row[start])) return;
        const from = toDate(row[start]);
        const to = end && isDate(row[end]) ? toDate(row[end]) : null;
        items.push({
          key: String(index),
          name: shown(names, row[label]) || row[start].value,
          href: link(row[label]),
          from: from,
          to: to && to > from ? to : null,
        });
      });
      items.sort((a, b) => a.from - b.from);
      const data = items.slice(0, MAX_ITEMS);
      const spans = data.filter((d) => d.to);
      const points = data.filter((d) => !d.to);
      this.plotRows(
        data,
        { type: "utc", grid: true, label: null, tickFormat: dateTicks(data) },
        [
          Plot.barX(spans, { x1: "from", x2: "to", y: "key", fill: BAND, href: "href", title: when }),
          // a span of days is thin on a scale of years: a dot marks where each begins
          Plot.dot(spans, { x: "from", y: "key", r: 4, fill: BAND, href: "href", title: when }),
          Plot.dot(points, { x: "from", y: "key", r: 5, fill: BAND, href: "href", title: when }),
        ],
        50,
        "data-items"
      );
    }
  }

  // Resources as nodes, links between them as edges: a CONSTRUCT or DESCRIBE's triples whose
  // object is a resource, or in a SELECT, from the first resource column to each other one.
  class GraphView extends View {
    constructor(yasr) {
      super(yasr, "graph", "graph");
      this.label = t("view_graph");
    }

    edges() {
      const results = this.yasr.results;
      const resource = (v) => !!v && (v.type === "uri" || v.type === "bnode");
      const found = [];
      if (results.getType() === "ttl") {
        for (const row of rows(this.yasr)) {
          if (resource(row.subject) && resource(row.object)) {
            found.push([row.subject, row.object, row.predicate ? row.predicate.value : ""]);
          }
        }
        return found;
      }
      const columns = columnsWhere(this.yasr, resource);
      if (columns.length < 2) return found;
      const [hub, ...spokes] = columns;
      for (const row of rows(this.yasr)) {
        for (const spoke of spokes) {
          if (row[hub] && row[spoke]) found.push([row[hub], row[spoke], spoke]);
        }
      }
      return found;
    }

    canHandleResults() {
      return !!this.yasr.results && (this.yasr.results.getVariables() || []).length > 0 && this.edges().length > 0;
    }

    async draw() {
      const names = await this.begin();
      if (!names) return;
      const isTriples = this.yasr.results.getType() === "ttl";
      const nodes = new Map();
      const edges = new Map();
      const node = (value) => {
        const id = `${value.type}:${value.value}`;
        if (!nodes.has(id)) {
          const local = value.type === "uri" && W.isLocal(value.value);
          nodes.set(id, {
            data: {
              id: id,
              label: value.type === "uri" ? names.name(value.value) : "",
              href: value.type === "uri" ? W.href(value.value) : null,
            },
            classes: local ? "local" : value.type,
          });
        }
        return id;
      };
      const all = this.edges();
      for (const [from, to, via] of all) {
        const source = node(from);
        const target = node(to);
        const id = `${source} ${via} ${target}`;
        const label = isTriples ? names.name(via) : `?${via}`;
        if (!edges.has(id)) edges.set(id, { data: { id: id, source: source, target: target, label: label } });
      }
      const kept = new Set([...nodes.keys()].slice(0, MAX_NODES));
      const elements = [
        ...[...nodes.values()].filter((n) => kept.has(n.data.id)),
        ...[...edges.values()].filter((e) => kept.has(e.data.source) && kept.has(e.data.target)),
      ];
      const box = this.container();
      const summary = document.createElement("p");
      summary.className = "graph-summary";
      summary.textContent =
        nodes.size > MAX_NODES
          ? t("graph_capped", { nodes: nodes.size, edges: edges.size, cap: MAX_NODES })
          : t("graph_summary", { nodes: nodes.size, edges: edges.size });
      const canvas = document.createElement("div");
      canvas.className = "graph-canvas";
      canvas.dataset.nodes = String(Math.min(nodes.size, MAX_NODES));
      canvas.dataset.edges = String(elements.length - Math.min(nodes.size, MAX_NODES));
      box.append(summary, canvas);
      if (this.cy) this.cy.destroy();
      this.cy = cytoscape({
        container: canvas,
        elements: elements,
        style: [
          {
            selector: "node",
            style: {
              label: "data(label)",
              "font-size": 11,
              "text-wrap": "ellipsis",
              "text-max-width": "160px",
              "background-color": "#8a9bb0",
              width: 14,
              height: 14,
            },
          },
          { selector: "node.local", style: { "background-color": BAND } },
          {
            selector: "edge",
            style: {
              label: "data(label)",
              "font-size": 9,
              color: "#555",
              width: 1.2,
              "line-color": "#aab",
              "target-arrow-color": "#aab",
              "target-arrow-shape": "triangle",
              "curve-style": "bezier",
              "text-rotation": "autorotate",
            },
          },
        ],
        // force-directed from random places (all nodes start at the origin otherwise)
        layout: {
          name: "cose",
          animate: false,
          randomize: true,
          fit: true,
          padding: 20,
          // spread over the box the graph is drawn in, not a column of its own making
          boundingBox: { x1: 0, y1: 0, w: canvas.clientWidth || 800, h: canvas.clientHeight || 500 },
          nodeDimensionsIncludeLabels: true,
          idealEdgeLength: () => 80,
          nodeRepulsion: () => 40000,
          gravity: 0.5,
          numIter: 1500,
        },
      });
      this.cy.on("tap", "node", (event) => {
        const target = event.target.data("href");
        if (target && target.startsWith(`${W.config.root}/`)) window.location.assign(target);
      });
      this.cy.on("cxttap", "node", (event) => {
        const target = event.target.data("href");
        if (target) window.open(target, "_blank", "noopener");
      });
    }

    destroy() {
      super.destroy();
      if (this.cy) this.cy.destroy();
      this.cy = null;
    }
  }

  Yasgui.Yasr.registerPlugin("chart", ChartView);
  Yasgui.Yasr.registerPlugin("timeline", TimelineView);
  Yasgui.Yasr.registerPlugin("graph", GraphView);
  Yasgui.Yasr.defaults.pluginOrder = ["table", "chart", "timeline", "graph", "response"];
})();

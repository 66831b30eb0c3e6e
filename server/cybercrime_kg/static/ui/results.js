// The workbench's shared parts (window.Workbench): the page's config and strings, how an IRI is
// named (its label in the page's language, fetched in one VALUES query per result set, or its
// prefixed name) and where it links (IRIs under the base open this server's page, same tab),
// and the result table that shows them. Loaded after yasgui.min.js, before views.js and query.js.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("ui-config").textContent);
  const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  const DISPLAY_KEY = "cybercrime-kg.iri-display";
  // one labels query per result set, its text kept under the endpoint's request limit
  const MAX_LABELLED = 2000;
  const MAX_QUERY_CHARS = 200000;
  const IRI_REF = /^[^<>"{}|^`\\\u0000-\u0020]+$/;

  function t(key, fields) {
    let message = config.text[key];
    if (message === undefined) throw new Error(`no workbench string ${key}`);
    for (const [name, value] of Object.entries(fields || {})) {
      message = message.split(`{${name}}`).join(String(value));
    }
    return message;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  }

  function display() {
    try {
      return window.localStorage.getItem(DISPLAY_KEY) === "curie" ? "curie" : "label";
    } catch (error) {
      return "label";
    }
  }

  function setDisplay(mode) {
    try {
      window.localStorage.setItem(DISPLAY_KEY, mode);
    } catch (error) {
      // private mode: the choice lasts for this page only
    }
  }

  // longest namespace first, so id/state/ wins over id/
  const namespaces = Object.entries(config.prefixes).sort((a, b) => b[1].length - a[1].length);

  function curie(iri, extra) {
    const spaces = extra ? [...Object.entries(extra), ...namespaces] : namespaces;
    let best = null;
    for (const [prefix, space] of spaces) {
      if (iri.startsWith(space) && iri.length > space.length) {
        if (!best || space.length > best[1].length) best = [prefix, space];
      }
    }
    return best ? `${best[0]}:${iri.slice(best[1].length)}` : `<${iri}>`;
  }

  function href(iri) {
    if (iri.startsWith(config.base)) {
      const path = `${config.root}/${iri.slice(config.base.length)}`;
      return config.lang === "zh" ? `${path}${path.includes("?") ? "&" : "?"}lang=zh` : path;
    }
    return /^https?:\/\//.test(iri) ? iri : null;
  }

  function isLocal(iri) {
    return iri.startsWith(config.base);
  }

  function preferred(found) {
    for (const lang of [config.lang, "en", ""]) {
      if (found.has(lang)) return found.get(lang);
    }
    return found.values().next().value;
  }

  // The names of one result set's IRIs: a Map IRI -> label, from one query to the endpoint.
  const labelled = new WeakMap();

  function iriValues(results) {
    const seen = new Set();
    let length = 0;
    for (const binding of results.getBindings() || []) {
      for (const value of Object.values(binding)) {
        if (!value || value.type !== "uri" || seen.has(value.value)) continue;
        if (!IRI_REF.test(value.value)) continue;
        if (seen.size >= MAX_LABELLED || length + value.value.length > MAX_QUERY_CHARS) {
          return [...seen];
        }
        seen.add(value.value);
        length += value.value.length + 3;
      }
    }
    return [...seen];
  }

  function fetchLabels(results) {
    const iris = iriValues(results);
    if (!iris.length) return Promise.resolve(new Map());
    const query =
      `SELECT ?iri ?label WHERE {\n  VALUES ?iri { ${iris.map((i) => `<${i}>`).join(" ")} }\n` +
      `  ?iri <${RDFS_LABEL}> ?label .\n}`;
    return fetch(config.endpoint, {
      method: "POST",
      headers: {
        Accept: "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ query: query }),
    })
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((answer) => {
        const byIri = new Map();
        for (const row of answer.results.bindings) {
          const found = byIri.get(row.iri.value) || new Map();
          const lang = row.label["xml:lang"] || "";
          if (!found.has(lang)) found.set(lang, row.label.value);
          byIri.set(row.iri.value, found);
        }
        const names = new Map();
        for (const [iri, found] of byIri) names.set(iri, preferred(found));
        return names;
      });
  }

  // Resolves to a namer for the result set: name(iri) is its label or prefixed name.
  function namesFor(yasr) {
    const results = yasr.results;
    if (!results) return Promise.resolve(namer(new Map(), {}));
    let pending = labelled.get(results);
    if (!pending) {
      pending = fetchLabels(results).catch((error) => {
        console.warn("labels:", error.message);
        notice(yasr, t("labels_failed"));
        return new Map();
      });
      labelled.set(results, pending);
    }
    return pending.then((labels) => {
      yasr.namedAs = display(); // so a tab shown later can tell it was drawn in another mode
      return namer(labels, yasr.getPrefixes());
    });
  }

  function namer(labels, prefixes) {
    const mode = display();
    return {
      labels: labels,
      name(iri) {
        if (mode === "label" && labels.has(iri)) return labels.get(iri);
        return curie(iri, prefixes);
      },
    };
  }

  function notice(yasr, text) {
    const box = yasr.fallbackInfoEl;
    if (!box) return;
    const p = document.createElement("p");
    p.className = "workbench-notice";
    p.textContent = text;
    box.append(p);
  }

  // An IRI as the table (and the chart's tooltips) show it: its name, linked.
  function iriLink(iri, name) {
    const target = href(iri);
    const title = escapeHtml(iri);
    if (target === null) return `<span class="iri" title="${title}">${escapeHtml(name)}</span>`;
    const external = isLocal(iri) ? "" : ' class="iri external" target="_blank" rel="noopener noreferrer"';
    const local = isLocal(iri) ? ' class="iri local"' : "";
    return `<a${local}${external} href="${escapeHtml(target)}" title="${title}">${escapeHtml(name)}</a>`;
  }

  function dataTablesLanguage() {
    if (config.lang !== "zh") return {};
    return {
      info: t("table_info"),
      infoEmpty: t("table_info_empty"),
      infoFiltered: t("table_info_filtered"),
      emptyTable: t("table_empty"),
      zeroRecords: t("table_no_match"),
    };
  }

  // YASR's table, with IRIs named and linked by the page, sorted and filtered by those names.
  const Table = Yasgui.Yasr.plugins.table;
  class NamedTable extends Table {
    constructor(yasr) {
      super(yasr);
      this.label = t("view_table");
      this.helpReference = undefined; // YASGUI's documentation is off-site; the page works offline
      const tableConfig = Table.defaults.tableConfig;
      this.config = {
        ...Table.defaults,
        openIriInNewWindow: false,
        tableConfig: {
          ...tableConfig,
          language: { ...tableConfig.language, ...dataTablesLanguage() },
        },
      };
      this.names = namer(new Map(), {});
    }

    async draw(persistentConfig) {
      // YASR may draw again (a stored answer, then the fresh one) before the labels arrive:
      // only the latest draw makes a table
      const ticket = (this.ticket = (this.ticket || 0) + 1);
      const names = await namesFor(this.yasr);
      if (ticket !== this.ticket) return;
      this.names = names;
      return super.draw(persistentConfig);
    }

    getUriLinkFromBinding(binding) {
      return iriLink(binding.value, this.names.name(binding.value));
    }

    getColumns() {
      return super.getColumns().map((column, index) => {
        if (index === 0) return column;
        const render = column.render;
        return {
          ...column,
          render: (cell, type, row, meta) => {
            if ((type === "filter" || type === "sort") && cell && cell.type === "uri") {
              const name = this.names.name(cell.value);
              return type === "filter" ? `${name} ${cell.value}` : name;
            }
            return render(cell, type, row, meta);
          },
        };
      });
    }
  }
  Yasgui.Yasr.registerPlugin("table", NamedTable);

  // Load scripts (a result view's library) once, in order, from this server.
  const loading = new Map();
  function loadScripts(urls) {
    const key = urls.join(" ");
    if (!loading.has(key)) {
      const chain = urls.reduce(
        (previous, url) =>
          previous.then(
            () =>
              new Promise((resolve, reject) => {
                const script = document.createElement("script");
                script.src = url;
                script.onload = resolve;
                script.onerror = () => reject(new Error(url));
                document.head.append(script);
              })
          ),
        Promise.resolve()
      );
      loading.set(key, chain);
    }
    return loading.get(key);
  }

  window.Workbench = {
    config: config,
    t: t,
    curie: curie,
    href: href,
    isLocal: isLocal,
    display: display,
    setDisplay: setDisplay,
    namesFor: namesFor,
    iriLink: iriLink,
    loadScripts: loadScripts,
    notice: notice,
  };
})();

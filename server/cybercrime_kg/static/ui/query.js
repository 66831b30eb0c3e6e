// The query workbench: YASGUI on this server's endpoint, its tabs kept in localStorage, a link's
// query (YASGUI's share link `#query=...`, or `?query=...&run=1`) opened and run over them, the
// named queries as examples, autocompletion from the graph's prefixes and the ontology's terms,
// and YASGUI's own chrome in the page's language.
(function () {
  "use strict";
  const W = window.Workbench;
  const config = W.config;
  const t = W.t;
  const endpoint = new URL(config.endpoint, window.location.href).href;
  const Yasqe = Yasgui.Yasqe;

  // --- Autocompletion: nothing is looked up beyond this server ---
  const prefixLines = Object.entries(config.prefixes)
    .map(([prefix, space]) => `${prefix}: <${space}>`)
    .sort();
  Yasqe.forkAutocompleter("prefixes", { name: "local-prefixes", get: prefixLines, persistenceId: null }, false);

  let terms = null;
  function ontologyTerms() {
    if (!terms) {
      terms = fetch(config.terms, { headers: { Accept: "application/json" } })
        .then((response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return response.json();
        })
        .then((listing) => listing.terms)
        .catch((error) => {
          console.warn("terms:", error.message);
          terms = null;
          return [];
        });
    }
    return terms;
  }

  function termLabel(term) {
    return term.labels[config.lang] || term.labels.en || "";
  }

  // the ontology's terms of `kind` whose IRI starts with what was typed, or whose local name or
  // label contains the rest of it (so ieg:meet offers ieg:Meeting, and 会议 finds it too)
  function matchTerms(kind, token) {
    const typed = (token && (token.autocompletionString || token.string)) || "";
    const space = (token && token.tokenPrefixUri) || "";
    const rest = (space ? typed.slice(space.length) : typed).toLowerCase();
    return ontologyTerms().then((all) => {
      const found = all.filter((term) => {
        if (term.kind !== kind || !term.iri.startsWith(space)) return false;
        if (!rest) return true;
        const local = term.iri.slice(space.length).toLowerCase();
        return local.includes(rest) || Object.values(term.labels).some((l) => l.toLowerCase().includes(rest));
      });
      const starts = (term) => (term.iri.slice(space.length).toLowerCase().startsWith(rest) ? 0 : 1);
      found.sort((a, b) => starts(a) - starts(b) || a.iri.localeCompare(b.iri));
      return found.slice(0, 50).map((term) => term.iri);
    });
  }

  function expand(yasqe, text) {
    if (text.startsWith("<")) return text.slice(1, -1);
    const colon = text.indexOf(":");
    const space = yasqe.getPrefixesFromQuery()[text.slice(0, colon)];
    return space ? space + text.slice(colon + 1) : text;
  }

  // the hints show each term's label beside its name (the list is in hand when they are made)
  let knownTerms = new Map();
  ontologyTerms().then((all) => {
    knownTerms = new Map(all.map((term) => [term.iri, term]));
  });

  function labelHints(kind) {
    return (yasqe, hints) =>
      hints.map((hint) => {
        const term = knownTerms.get(expand(yasqe, hint.text));
        const label = term ? termLabel(term) : "";
        return { ...hint, displayText: label ? `${hint.text} · ${label} (${t(`term_${kind}`)})` : hint.text };
      });
  }

  Yasqe.forkAutocompleter(
    "class",
    {
      name: "local-classes",
      get: (yasqe, token) => matchTerms("class", token),
      postprocessHints: labelHints("class"),
      autoShow: true,
    },
    false
  );
  Yasqe.forkAutocompleter(
    "property",
    {
      name: "local-properties",
      get: (yasqe, token) => matchTerms("property", token),
      postprocessHints: labelHints("property"),
      autoShow: true,
    },
    false
  );
  // exactly these (YASGUI deep-merges its defaults, array entries included)
  const completers = ["local-prefixes", "variables", "local-classes", "local-properties"];
  Yasqe.defaults.autocompleters = completers.slice();

  // --- YASGUI ---
  Yasqe.defaults.value = config.starter;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "GET" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    // the tabs survive a reload; a link's query is opened by openLink below, not by YASGUI
    persistenceId: "cybercrime-kg-workbench",
    populateFromUrl: false,
    tabName: t("tab"),
    yasqe: { value: config.starter, autocompleters: completers.slice(), collapsePrefixesOnLoad: false },
    yasr: { pluginOrder: ["table", "chart", "timeline", "graph", "response"], prefixes: config.prefixes },
  });

  // a tab stored by an earlier visit may name another address of this server
  for (const id of yasgui.persistentConfig.getTabs()) {
    const tab = yasgui.getTab(id);
    if (tab && tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);
  }

  // tabs named by default (or after a link) take the page's language, whichever they were made in
  const defaultNames = new Map(
    Object.entries(config.tab_names).map(([key, names]) => [key, new RegExp(`^(${names.join("|")})( \\d+)?$`)])
  );
  for (const id of yasgui.persistentConfig.getTabs()) {
    const tab = yasgui.getTab(id);
    if (!tab) continue;
    for (const [key, pattern] of defaultNames) {
      const match = pattern.exec(tab.getName());
      if (match && match[1] !== t(key)) tab.setName(t(key) + (match[2] || ""));
    }
  }

  function tabWithQuery(query) {
    for (const id of yasgui.persistentConfig.getTabs()) {
      const tab = yasgui.getTab(id);
      // a tab not shown yet has no editor: its stored text stands for it
      if (tab && (tab.getYasqe() ? tab.getQuery() : tab.getPersistedJson().yasqe.value) === query) return tab;
    }
    return null;
  }

  function openTab(name, query, view, settings) {
    const tabConfig = {
      ...Yasgui.Tab.getDefaults(yasgui),
      name: name,
      requestConfig: { ...yasgui.config.requestConfig, endpoint: endpoint },
    };
    if (view && Yasgui.Yasr.plugins[view]) {
      tabConfig.yasr = { response: undefined, settings: { selectedPlugin: view, pluginsConfig: settings ? { [view]: settings } : {} } };
    }
    const tab = yasgui.addTab(true, tabConfig);
    tab.setQuery(query);
    return tab;
  }

  function showTab(name, query) {
    const tab = tabWithQuery(query);
    if (tab) {
      yasgui.selectTabId(tab.getId());
      return tab;
    }
    return openTab(name, query);
  }

  // The query a link brings: YASGUI's share link (#query=...&outputFormat=...), else ?query=.
  function linked() {
    const hash = new URLSearchParams(window.location.hash.slice(1));
    const query = hash.get("query");
    if (query) {
      let settings = null;
      try {
        settings = hash.get("outputSettings") ? JSON.parse(hash.get("outputSettings")) : null;
      } catch (error) {
        settings = null;
      }
      return { query: query, name: hash.get("tabTitle"), view: hash.get("outputFormat"), settings: settings, run: true };
    }
    if (config.query) return { query: config.query, name: null, view: null, settings: null, run: config.run };
    return null;
  }

  function openLink() {
    const link = linked();
    if (!link) return;
    let tab = tabWithQuery(link.query);
    if (tab) {
      yasgui.selectTabId(tab.getId());
      if (link.view && Yasgui.Yasr.plugins[link.view]) {
        if (link.settings) tab.getYasr().config.plugins[link.view].dynamicConfig = link.settings;
        tab.getYasr().selectPlugin(link.view);
      }
    } else {
      tab = openTab(link.name || t("tab_from_link"), link.query, link.view, link.settings);
    }
    if (link.run) tab.query().catch(() => {});
    // the link has been read: a reload shows the stored tabs, a share link is made afresh
    const search = new URLSearchParams(window.location.search);
    const keep = search.has("lang") ? `?lang=${encodeURIComponent(search.get("lang"))}` : "";
    window.history.replaceState(null, "", window.location.pathname + keep);
  }
  openLink();
  window.addEventListener("hashchange", openLink);

  // --- IRIs as labels or prefixed names ---
  const toggle = document.getElementById("iri-display");
  toggle.querySelector(`input[value="${W.display()}"]`).checked = true;
  function redrawIfStale(tab) {
    const yasr = tab && tab.getYasr();
    if (yasr && yasr.results && yasr.namedAs && yasr.namedAs !== W.display()) yasr.refresh();
  }
  toggle.addEventListener("change", (event) => {
    W.setDisplay(event.target.value);
    redrawIfStale(yasgui.getTab());
  });
  yasgui.on("tabSelect", (instance, id) => redrawIfStale(yasgui.getTab(id)));

  // --- The named queries ---
  const list = document.getElementById("examples");
  const byName = new Map();
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-name]");
    if (!button) return;
    const example = byName.get(button.dataset.name);
    showTab(example.name, example.exampleQuery || example.query);
  });

  function listExample(example) {
    byName.set(example.name, example);
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.name = example.name;
    const summary = example.summary[config.lang] || example.summary.en || "";
    button.textContent = summary || example.name;
    const name = document.createElement("code");
    name.textContent = example.name;
    item.append(button, name);
    list.append(item);
  }

  fetch(config.examples, { headers: { Accept: "application/json" } })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((listing) => listing.queries.forEach(listExample))
    .catch((error) => {
      list.textContent = t("examples_failed", { error: error.message });
    })
    .finally(() => list.setAttribute("aria-busy", "false"));

  // --- YASGUI's own chrome in the page's language ---
  // YASGUI's strings, compared trimmed ("Page size: " is drawn with its space)
  const chrome = Object.fromEntries(Object.entries(config.chrome).map(([en, text]) => [en.trim(), text.trim()]));
  const patterns = [
    [/^(\d+) results? in ([\d.]+) seconds?$/, (m) => t("results_time", { count: m[1], seconds: m[2] })],
    [/^Response in ([\d.]+) seconds?$/, (m) => t("response_time", { seconds: m[1] })],
    [
      /^Could not render results with the (.+) plugin, the results currently are rendered with the (.+) plugin\. ?$/,
      (m) => t("fallback_view", { wanted: chrome[m[1]] || m[1], shown: chrome[m[2]] || m[2] }),
    ],
    [/^Shows (.+) view$/, (m) => t("show_view", { view: chrome[m[1]] || m[1] })],
    [/^(.+): Activate to sort$/, (m) => t("sort_column", { column: m[1] })],
    [/^(.+): Activate to invert sorting$/, (m) => t("sort_column_reverse", { column: m[1] })],
    [/^(.+): Activate to remove sorting$/, (m) => t("sort_column_remove", { column: m[1] })],
  ];
  const ATTRIBUTES = ["title", "placeholder", "aria-label"];
  // data and queries are never translated: the editor, the hints, the table body, raw answers
  const CONTENT = ".CodeMirror-lines, .CodeMirror-hints, .yasr_results tbody, .yasr_results pre, .workbench-view";

  function translated(text) {
    const trimmed = text.trim();
    if (!trimmed) return null;
    if (Object.prototype.hasOwnProperty.call(chrome, trimmed)) return text.replace(trimmed, chrome[trimmed]);
    for (const [pattern, make] of patterns) {
      const match = pattern.exec(trimmed);
      if (match) return text.replace(trimmed, make(match));
    }
    return null;
  }

  function translateNode(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      if (!parent || parent.closest(CONTENT)) return;
      const text = translated(node.nodeValue);
      if (text !== null) node.nodeValue = text;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE || node.closest(CONTENT)) return;
    for (const name of ATTRIBUTES) {
      const value = node.getAttribute(name);
      const text = value && translated(value);
      if (text) node.setAttribute(name, text);
    }
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let next = walker.nextNode(); next; next = walker.nextNode()) {
      if (next.nodeType === Node.ELEMENT_NODE) {
        if (next.closest(CONTENT)) continue;
        for (const name of ATTRIBUTES) {
          const value = next.getAttribute(name);
          const text = value && translated(value);
          if (text) next.setAttribute(name, text);
        }
      } else {
        translateNode(next);
      }
    }
  }

  if (Object.keys(chrome).length) {
    const root = document.getElementById("yasgui");
    translateNode(root);
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === "characterData") translateNode(record.target);
        else if (record.type === "attributes") translateNode(record.target);
        else record.addedNodes.forEach(translateNode);
      }
    }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES });
  }

  window.cybercrimeKg = { yasgui: yasgui, openTab: openTab };
})();

// The query page: YASGUI on this server's endpoint, the named queries as examples.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("ui-config").textContent);
  const endpoint = new URL(config.endpoint, window.location.href).href;

  Yasgui.Yasqe.defaults.value = config.starter;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "GET" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    // the page is self-contained: no LOV look-ups while typing, no state from other visits
    persistenceId: null,
    populateFromUrl: false,
    yasqe: { autocompleters: ["prefixes", "variables"], collapsePrefixesOnLoad: false },
  });

  function openTab(name, query) {
    const tab = yasgui.addTab(true, {
      ...Yasgui.Tab.getDefaults(),
      name: name,
      requestConfig: { ...yasgui.config.requestConfig, endpoint: endpoint },
    });
    tab.setQuery(query);
    return tab;
  }

  const list = document.getElementById("examples");
  const byName = new Map();
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-name]");
    if (!button) return;
    const example = byName.get(button.dataset.name);
    openTab(example.name, example.query);
  });

  function listExample(example) {
    byName.set(example.name, example);
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.name = example.name;
    button.textContent = example.name;
    item.append(button);
    for (const [lang, text] of Object.entries(example.summary)) {
      if (!text) continue;
      const summary = document.createElement("small");
      summary.lang = lang;
      summary.textContent = text;
      item.append(summary);
    }
    list.append(item);
  }

  fetch(config.examples, { headers: { Accept: "application/json" } })
    .then((response) => {
      if (!response.ok) throw new Error(`${config.examples}: HTTP ${response.status}`);
      return response.json();
    })
    .then((listing) => listing.queries.forEach(listExample))
    .catch((error) => {
      list.textContent = `The named queries could not be loaded (${error.message}).`;
    })
    .finally(() => list.setAttribute("aria-busy", "false"));

  if (config.query) {
    openTab("Query from link", config.query);
  }
  window.cybercrimeKg = { yasgui: yasgui, openTab: openTab };
})();

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

  const byName = new Map(config.examples.map((example) => [example.name, example]));
  document.getElementById("examples").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-name]");
    if (!button) return;
    const example = byName.get(button.dataset.name);
    openTab(example.name, example.query);
  });

  if (config.query) {
    openTab("Query from link", config.query);
  }
  window.cybercrimeKg = { yasgui: yasgui, openTab: openTab };
})();

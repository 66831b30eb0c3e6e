// The visual query builder (/builder): the choices come from the page's configuration, which the
// server generates from the SHACL shapes and the ontology (ld/choices.py). The user picks a class,
// then conditions (property -> class -> value); this script writes the SPARQL, runs it on this
// server's /sparql, names every IRI of the answer with one label query, and links the query to
// the editor. Every string it shows comes from messages/builder.toml through the configuration.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("builder-config").textContent);
  const RDF_TYPE_PATH = "rdf:type/rdfs:subClassOf*";
  const RDF_TYPE_PATH_IRIS =
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*";
  const ROW_LIMIT = 1000;
  const LABEL_BATCH = 300;
  const collator = new Intl.Collator(config.lang === "zh" ? "zh-u-co-pinyin" : "en");

  const $ = (id) => document.getElementById(id);
  const form = $("builder");
  const classSelect = $("builder-class");
  const criteriaList = $("builder-criteria");
  const addButton = $("builder-add");
  const runButton = $("builder-run");
  const sparqlBox = $("builder-sparql");
  const editorLink = $("builder-editor");
  const statusLine = $("builder-status");
  const table = $("builder-table");
  const showRoot = $("builder-show-root");

  function msg(key, fields) {
    let text = config.messages["builder." + key];
    for (const [name, value] of Object.entries(fields || {})) {
      text = text.replace("{" + name + "}", () => value); // a function: no "$&" patterns
    }
    return text;
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function option(value, text, selected) {
    const opt = el("option", { value: value, text: text });
    if (selected) opt.selected = true;
    return opt;
  }

  const classInfo = (iri) =>
    config.classes[iri] || { iri: iri, label: iri, curie: iri, subclasses: [iri], superclasses: [], properties: [] };

  // a class's properties: those of the shapes on it and on every class above it, ranges merged
  const propertyLists = new Map();
  function propertiesOf(cls) {
    if (!propertyLists.has(cls)) {
      const merged = new Map();
      for (const above of classInfo(cls).superclasses) {
        for (const prop of classInfo(above).properties) {
          const known = merged.get(prop.iri);
          if (!known) merged.set(prop.iri, { ...prop, ranges: [...prop.ranges] });
          else {
            known.literal = known.literal || prop.literal;
            known.ranges = known.literal ? [] : [...new Set([...known.ranges, ...prop.ranges])];
          }
        }
      }
      propertyLists.set(cls, [...merged.values()].sort((a, b) => collator.compare(a.label, b.label)));
    }
    return propertyLists.get(cls);
  }
  const propertyOf = (cls, iri) => propertiesOf(cls).find((p) => p.iri === iri);

  // --- The query being built ---
  // nodes: the variables ({name, cls, literal}); nodes[0] is what the user looks for.
  // criteria: {subject: node, property: IRI, node: the value's variable, cls, value, text, show}
  let nodes = [];
  let criteria = [];

  function variableName(base) {
    let name = base.replace(/^.*[#/:]/, "").replace(/[^A-Za-z0-9_]/g, "_");
    name = /^[A-Za-z_]/.test(name) ? name : "v" + name;
    name = name.charAt(0).toLowerCase() + name.slice(1);
    const taken = new Set(nodes.map((n) => n.name));
    let candidate = name;
    for (let i = 2; taken.has(candidate); i++) candidate = name + i;
    return candidate;
  }

  function startWith(cls) {
    nodes = [];
    if (cls) nodes.push({ name: variableName(cls), cls: cls, literal: false, show: showRoot.checked });
    criteria = [];
    render();
  }

  function addCriterion() {
    criteria.push({ subject: nodes[0], property: "", node: null, cls: "", value: "", text: "", show: true });
    render();
  }

  function removeCriterion(criterion) {
    // the conditions on the value's variable go with it
    const doomed = new Set([criterion]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const c of criteria) {
        if (!doomed.has(c) && [...doomed].some((d) => d.node && c.subject === d.node)) {
          doomed.add(c);
          grew = true;
        }
      }
    }
    criteria = criteria.filter((c) => !doomed.has(c));
    const kept = new Set([nodes[0], ...criteria.map((c) => c.node)]);
    nodes = nodes.filter((n) => kept.has(n));
  }

  function setProperty(criterion, iri) {
    const doomedNode = criterion.node;
    if (doomedNode) {
      for (const c of criteria.filter((c) => c.subject === doomedNode)) removeCriterion(c);
      nodes = nodes.filter((n) => n !== doomedNode);
    }
    criterion.property = iri;
    criterion.node = null;
    criterion.value = "";
    criterion.text = "";
    if (iri) {
      const prop = propertyOf(criterion.subject.cls, iri);
      const literal = prop.ranges.length === 0;
      criterion.cls = literal ? "" : prop.ranges[0];
      criterion.node = { name: variableName(iri), cls: criterion.cls, literal: literal };
      nodes.push(criterion.node);
    }
  }

  function setClass(criterion, cls) {
    for (const c of criteria.filter((c) => c.subject === criterion.node)) removeCriterion(c);
    criterion.cls = cls;
    criterion.node.cls = cls;
    criterion.value = "";
  }

  // --- SPARQL ---
  function compact(iri, used) {
    let best = null;
    for (const [prefix, namespace] of Object.entries(config.prefixes)) {
      if (iri.startsWith(namespace) && (!best || namespace.length > best[1].length)) {
        best = [prefix, namespace];
      }
    }
    if (best && /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(iri.slice(best[1].length))) {
      used.add(best[0]);
      return best[0] + ":" + iri.slice(best[1].length);
    }
    return "<" + iri + ">";
  }

  function shownNodes() {
    const shown = nodes.filter((n) =>
      n === nodes[0] ? n.show : criteria.some((c) => c.node === n && c.show && !c.value),
    );
    return shown.length ? shown : nodes.slice(0, 1);
  }

  function sparql() {
    if (!nodes.length) return "";
    const used = new Set(["rdf", "rdfs"]);
    const t = (iri) => compact(iri, used);
    const lines = [`  ?${nodes[0].name} ${RDF_TYPE_PATH} ${t(nodes[0].cls)} .`];
    for (const c of criteria) {
      if (!c.property) continue;
      const s = "?" + c.subject.name;
      const o = "?" + c.node.name;
      lines.push(`  ${s} ${t(c.property)} ${o} .`);
      if (c.node.literal) {
        if (c.text.trim()) {
          lines.push(`  FILTER(CONTAINS(LCASE(STR(${o})), ${JSON.stringify(c.text.trim().toLowerCase())}))`);
        }
      } else if (c.value) {
        lines.push(`  VALUES ${o} { ${t(c.value)} }`);
      } else if (!propertyOf(c.subject.cls, c.property).ranges.includes(c.cls)) {
        lines.push(`  ${o} ${RDF_TYPE_PATH} ${t(c.cls)} .`);
      }
    }
    const vars = shownNodes().map((n) => "?" + n.name).join(" ");
    const prefixes = [...used].sort().map((p) => `PREFIX ${p}: <${config.prefixes[p]}>`).join("\n");
    return `${prefixes}\n\nSELECT DISTINCT ${vars} WHERE {\n${lines.join("\n")}\n}\nORDER BY ${vars}\nLIMIT ${ROW_LIMIT}\n`;
  }

  // --- Talking to /sparql ---
  async function select(query) {
    const response = await fetch(config.endpoint, {
      method: "POST",
      headers: { Accept: "application/sparql-results+json" },
      body: new URLSearchParams({ query: query }),
    });
    if (!response.ok) {
      throw new Error(`${response.status}: ${(await response.text()).slice(0, 500)}`);
    }
    return response.json();
  }

  function labelFilter(variable) {
    return `FILTER(LANGMATCHES(LANG(${variable}), "${config.lang}") || LANGMATCHES(LANG(${variable}), "en"))`;
  }

  function pickLabels(bindings, key, into) {
    // the page's language first, then English
    for (const b of bindings) {
      const iri = b[key].value;
      const label = b.label;
      if (!label) continue;
      const known = into.get(iri);
      if (!known || (known.lang !== config.lang && label["xml:lang"].startsWith(config.lang))) {
        into.set(iri, { text: label.value, lang: label["xml:lang"] });
      }
    }
  }

  const valueLists = new Map();

  function values(subjectCls, property, cls) {
    const key = [subjectCls, property, cls].join(" ");
    if (!valueLists.has(key)) {
      const query = `SELECT DISTINCT ?v ?label WHERE {
  ?s ${RDF_TYPE_PATH_IRIS} <${subjectCls}> .
  ?s <${property}> ?v .
  ?v ${RDF_TYPE_PATH_IRIS} <${cls}> .
  OPTIONAL { ?v <http://www.w3.org/2000/01/rdf-schema#label> ?label . ${labelFilter("?label")} }
}
LIMIT 5000`;
      const list = select(query).then((data) => {
        const labels = new Map();
        pickLabels(data.results.bindings, "v", labels);
        const iris = [...new Set(data.results.bindings.map((b) => b.v.value))];
        return iris
          .map((iri) => ({ iri: iri, label: labels.has(iri) ? labels.get(iri).text : compact(iri, new Set()) }))
          .sort((a, b) => collator.compare(a.label, b.label));
      });
      list.catch(() => valueLists.delete(key));
      valueLists.set(key, list);
    }
    return valueLists.get(key);
  }

  async function labelsOf(iris) {
    const labels = new Map();
    for (let i = 0; i < iris.length; i += LABEL_BATCH) {
      const chunk = iris.slice(i, i + LABEL_BATCH).map((iri) => `<${iri}>`).join(" ");
      const data = await select(
        `SELECT ?r ?label WHERE { VALUES ?r { ${chunk} } ?r <http://www.w3.org/2000/01/rdf-schema#label> ?label . ${labelFilter("?label")} }`,
      );
      pickLabels(data.results.bindings, "r", labels);
    }
    return labels;
  }

  function localHref(iri) {
    if (!iri.startsWith(config.base)) return iri;
    const lang = config.lang === "zh" ? "?lang=zh" : "";
    return `${config.root}/${iri.slice(config.base.length)}${lang}`;
  }

  // a variable as a reader knows it: the class looked for, or the property that leads to it
  function nodeName(node) {
    if (node === nodes[0]) return classInfo(node.cls).label;
    return `${heading(node)} (${classInfo(node.cls).label})`;
  }

  function heading(node) {
    if (node === nodes[0]) return classInfo(node.cls).label;
    const c = criteria.find((c) => c.node === node);
    return propertyOf(c.subject.cls, c.property).label;
  }

  async function run(event) {
    event.preventDefault();
    const query = sparql();
    if (!query) return;
    const headings = Object.fromEntries(shownNodes().map((n) => [n.name, heading(n)]));
    runButton.disabled = true;
    statusLine.textContent = msg("running");
    table.replaceChildren();
    try {
      const data = await select(query);
      const vars = data.head.vars;
      const rows = data.results.bindings;
      const iris = [...new Set(rows.flatMap((r) => Object.values(r).filter((v) => v.type === "uri").map((v) => v.value)))];
      const labels = await labelsOf(iris);
      const head = el("tr", {}, vars.map((v) => el("th", { scope: "col", "data-var": v, text: headings[v] || v })));
      const body = rows.map((row) =>
        el("tr", {}, vars.map((v) => {
          const term = row[v];
          if (!term) return el("td");
          if (term.type !== "uri") return el("td", { text: term.value });
          const label = labels.has(term.value) ? labels.get(term.value).text : compact(term.value, new Set());
          return el("td", {}, [el("a", { href: localHref(term.value), "data-iri": term.value, title: term.value, text: label })]);
        })),
      );
      table.replaceChildren(el("thead", {}, [head]), el("tbody", {}, body));
      statusLine.textContent = rows.length ? msg("rows", { count: rows.length }) : msg("no_rows");
    } catch (error) {
      statusLine.textContent = msg("error", { reason: error.message });
    } finally {
      runButton.disabled = false;
    }
  }

  // --- Drawing the form ---
  function labelled(text, control) {
    return el("label", { class: "criterion-field" }, [el("span", { text: text }), control]);
  }

  function criterionRow(criterion) {
    const row = el("li", { class: "criterion" });
    const subject = el("select", { class: "criterion-subject" });
    for (const node of nodes.filter((n) => !n.literal && n !== criterion.node)) {
      if (criteria.indexOf(criteria.find((c) => c.node === node)) > criteria.indexOf(criterion)) continue;
      subject.append(option(node.name, nodeName(node), node === criterion.subject));
    }
    subject.addEventListener("change", () => {
      setProperty(criterion, "");
      criterion.subject = nodes.find((n) => n.name === subject.value);
      render();
    });
    row.append(labelled(msg("subject"), subject));

    const property = el("select", { class: "criterion-property" }, [option("", msg("choose_property"), !criterion.property)]);
    for (const prop of propertiesOf(criterion.subject.cls)) {
      property.append(option(prop.iri, prop.label, prop.iri === criterion.property));
    }
    property.addEventListener("change", () => {
      setProperty(criterion, property.value);
      render();
    });
    row.append(labelled(msg("property"), property));

    if (criterion.property && criterion.node.literal) {
      const text = el("input", { class: "criterion-text", type: "search", maxlength: "200" });
      text.value = criterion.text;
      text.addEventListener("input", () => {
        criterion.text = text.value;
        update();
      });
      row.append(labelled(msg("contains"), text));
    } else if (criterion.property) {
      const prop = propertyOf(criterion.subject.cls, criterion.property);
      const choices = [...new Set(prop.ranges.flatMap((r) => classInfo(r).subclasses))];
      const cls = el("select", { class: "criterion-class" });
      for (const iri of choices) cls.append(option(iri, classInfo(iri).label, iri === criterion.cls));
      cls.addEventListener("change", () => {
        setClass(criterion, cls.value);
        render();
      });
      row.append(labelled(msg("class"), cls));

      const value = el("select", { class: "criterion-value", "aria-busy": "true" }, [
        option("", msg("any_value"), true),
        option("", msg("loading_values"), false),
      ]);
      value.lastChild.disabled = true;
      value.addEventListener("change", () => {
        criterion.value = value.value;
        render();
      });
      values(criterion.subject.cls, criterion.property, criterion.cls).then(
        (list) => {
          value.lastChild.remove();
          for (const item of list) value.append(option(item.iri, item.label, item.iri === criterion.value));
          value.removeAttribute("aria-busy");
        },
        (error) => {
          value.lastChild.textContent = msg("error", { reason: error.message });
          value.removeAttribute("aria-busy");
        },
      );
      row.append(labelled(msg("value"), value));
    }

    if (criterion.property && !criterion.value) {
      const show = el("input", { class: "criterion-show", type: "checkbox" });
      show.checked = criterion.show;
      show.addEventListener("change", () => {
        criterion.show = show.checked;
        update();
      });
      row.append(el("label", { class: "criterion-check" }, [show, el("span", { text: msg("show") })]));
    }
    const remove = el("button", { type: "button", class: "criterion-remove", "aria-label": msg("remove"), title: msg("remove"), text: "×" });
    remove.addEventListener("click", () => {
      removeCriterion(criterion);
      render();
    });
    row.append(remove);
    return row;
  }

  function update() {
    const query = sparql();
    sparqlBox.textContent = query || msg("empty");
    runButton.disabled = !query;
    addButton.disabled = !nodes.length;
    const lang = config.lang === "zh" ? "&lang=zh" : "";
    editorLink.href = query ? `${config.editor}?query=${encodeURIComponent(query)}${lang}` : config.editor;
  }

  function render() {
    criteriaList.replaceChildren(...criteria.map(criterionRow));
    update();
  }

  for (const iri of config.start) classSelect.append(option(iri, classInfo(iri).label, false));
  classSelect.addEventListener("change", () => startWith(classSelect.value));
  showRoot.addEventListener("change", () => {
    if (nodes.length) nodes[0].show = showRoot.checked;
    update();
  });
  addButton.addEventListener("click", addCriterion);
  form.addEventListener("submit", run);
  if (classSelect.value) startWith(classSelect.value);
  else update();
})();

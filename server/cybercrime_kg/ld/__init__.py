"""The linked-data pages: dereferenceable IRIs, descriptions, search, ontology docs, pictures.

`deref` serves /id/... and the named graphs, from a `describe` CONSTRUCT (JSON-LD compacted by
`jsonld`, citations written by `citation`); `labels` indexes every name once per service;
`pages` turns descriptions into HTML, with `debate` (the stances on a claim or topic) and
`locators` (passage locators in Chinese); `search` answers /search, with `corpus` (every
resource as searchable texts and a type), `finder` (matching and ranking) and `words` (folding,
Chinese segmentation); `ontology_docs` serves the ontology (its page from `ontology_page`,
pyLODE's on request); `pictures` draws the stance matrix and the timeline with `charts` and
`svg`; `builder` is the visual query builder, whose choices `choices` reads from the shapes and
the ontology; `query_pages` makes the named queries' pages (forms and labelled answers) that
`web.queries_api` serves to browsers.

May import: `web` (for `http` and `negotiation`), `sparql` and everything below them; never
`app` or `cli`.
"""

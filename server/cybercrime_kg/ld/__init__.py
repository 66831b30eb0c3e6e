"""The linked-data pages: dereferenceable IRIs, descriptions, search, ontology docs, pictures.

`deref` serves /id/... and the named graphs, from a `describe` CONSTRUCT; `labels` indexes every
name once per service; `pages` turns descriptions into HTML; `search` finds resources by name;
`ontology_docs` serves the ontology (its page from `ontology_page`, pyLODE's on request);
`pictures` draws the stance matrix and the timeline with `charts` and `svg`.

May import: `web` (for `http` and `negotiation`), `sparql` and everything below them; never
`app` or `cli`.
"""

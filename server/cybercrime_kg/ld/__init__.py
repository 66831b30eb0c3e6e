"""The linked-data pages: dereferenceable IRIs, descriptions, search, ontology docs, pictures.

`deref` serves /id/... and the named graphs, from a `describe` CONSTRUCT; `labels` indexes every
name once per service; `pages` turns descriptions into HTML; `search` answers /search, with
`corpus` (every resource as searchable texts and a type), `finder` (matching and ranking) and
`words` (folding, Chinese segmentation); `ontology_docs` serves the ontology with pyLODE;
`pictures` draws the stance matrix and the timeline with `charts` and `svg`; `builder` is the
visual query builder, whose choices `choices` reads from the shapes and the ontology.

May import: `web` (for `http` and `negotiation`), `sparql` and everything below them; never
`app` or `cli`.
"""

"""The SPARQL core: check a query, run it in a killable process on an engine, write the answer.

`analysis` checks a query before any engine sees it (form, dataset, SERVICE, updates); `service`
holds one loaded engine with its process `pool`, answer cache and per-service memos; `results`
writes answers in the SPARQL results and RDF formats; `named_queries` reads queries/*.rq;
`engines/` holds the engine interface (`engines.base`) and the rdflib, Oxigraph and remote engines.

May import: `dataset`, `config`, `validation` and the ground floor (`namespaces`, `paths`,
`errors`, `cache`, `formats`); never `web`, `ld`, `app` or `cli`.
"""

"""The HTTP service: the SPARQL 1.1 endpoint and everything around it, as Flask blueprints.

`http` holds what every route shares (the query-service accessor, conditional requests and one
way to answer a query); `negotiation` picks formats from the registry in `formats`; `i18n` is
the two languages (which one a request gets, the strings of `messages/*.toml`, pinyin order,
Babel dates); `site` the chrome every page shares (sections, language switch, favicon, the
site's 404 page); `endpoint` is
/sparql, `fastpath` answers repeated GETs before Flask, `service_description` the SD/VoID and
dumps, `queries_api` and `openapi` the named-query API, `ui` the query page, `observability`
/health, /metrics and the access log,
`security` the headers every response carries (nosniff, a Content-Security-Policy on HTML).

May import: `sparql` and everything below it; never `ld`, `app` or `cli`. Blueprints do not
import each other: what two of them share lives in `http` or `negotiation`.
"""

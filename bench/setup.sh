#!/usr/bin/env bash
# Install the servers the benchmark compares against into bench/.venv (never runtime deps):
# rdflib-endpoint (the nearest Python peer) and the `oxigraph` package (Oxigraph server binary).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -x "$here/.venv/bin/python" ] || python3 -m venv "$here/.venv"
"$here/.venv/bin/pip" install -q "rdflib-endpoint==0.6.3" "oxigraph==0.5.13" "uvicorn"

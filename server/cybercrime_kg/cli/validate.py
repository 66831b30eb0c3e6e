"""`cybercrime-kg validate`: check ontology and data against the SHACL shapes, print a report."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from cybercrime_kg.errors import DataError
from cybercrime_kg.validation import (
    ENGINES,
    INFERENCE_CHOICES,
    VALIDATOR_ENV,
    Report,
    command_parts,
    default_engine,
    remember,
    validate_parts,
)

FORMATS = ("text", "turtle", "json")


# --- Rendering -------------------------------------------------------------------------------


def render_text(report: Report) -> str:
    if report.conforms:
        return f"Conforms: the data satisfies every shape ({report.seconds:.1f} s).\n"
    blocks = []
    for v in report.violations:
        lines = [f"{v.focus}" + (f'  "{v.label}"' if v.label else "")]
        lines += [f"  {k}: {x}" for k, x in (("path", v.path), ("value", v.value)) if x]
        lines += [f"  message: {v.message}", f"  shape: {v.shape} ({v.component})"]
        blocks.append("\n".join(lines))
    focus_count = len({v.focus for v in report.violations})
    head = f"Does not conform: {len(report.violations)} violations on {focus_count} nodes."
    return "\n\n".join([head, *blocks]) + "\n"


def render_json(report: Report) -> str:
    document = {"conforms": report.conforms, "violations": [asdict(v) for v in report.violations]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_turtle(report: Report) -> str:
    return report.results.serialize(format="turtle")


RENDERERS = {"text": render_text, "turtle": render_turtle, "json": render_json}


# --- Command ---------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATHS",
        help="data files or folders to check with the project's ontology (default: its data)",
    )
    parser.add_argument(
        "--shapes",
        action="append",
        type=Path,
        default=[],
        help="shapes file or folder instead of the project's",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "--inference",
        choices=INFERENCE_CHOICES,
        default="none",
        help="pySHACL inference on a copy of the data (default: none, see the module docstring)",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        help="fast: pyshacl-turbo and Oxigraph, with pySHACL for what they cannot check;"
        f" pyshacl: the reference engine (default: ${VALIDATOR_ENV}, else fast)",
    )


def run(args: argparse.Namespace) -> int:
    """0 when the data conforms, 1 when it does not, 2 when a file cannot be read."""
    try:
        parts = command_parts(args.paths, args.shapes)
        report = validate_parts(parts, args.inference, args.engine or default_engine())
    except (DataError, ValueError) as exc:
        sys.stderr.write(f"cybercrime-kg validate: {exc}\n")
        return 2
    sys.stdout.write(RENDERERS[args.format](report))
    if report.conforms and not args.paths and not args.shapes and args.inference == "none":
        remember(parts)  # exactly the serving gate's check, so `serve` need not repeat it
    return 0 if report.conforms else 1

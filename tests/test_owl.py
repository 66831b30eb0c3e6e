"""The OWL checks of issue 2, on the OWL API (the parser Protégé uses) and HermiT.

Every ontology file loads with an RDF parser, without warnings or unparsed triples, and is in the
OWL 2 DL profile; HermiT finds the ontology, alone and with the data, consistent and every class
satisfiable. tests/java/OwlCheck.java does the work and prints JSON lines; the negative tests
prove on tests/fixtures/owl/ that each check can fail. Java and the jars come from
`bash scripts/run test`: without them these tests fail, they never skip.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from cybercrime_kg.dataset import turtle_files
from cybercrime_kg.paths import project_layout
from helpers.assertions import assert_none

pytestmark = pytest.mark.java

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "java" / "OwlCheck.java"
FIXTURES = ROOT / "tests" / "fixtures" / "owl"
SETUP_HINT = "run `bash scripts/run test`, which installs them"

# Debian's OWL API (libowlapi-java 5.1.20) and what it needs at run time, all from its
# Depends; slf4j-simple lets OwlCheck read the OWL API's log (unparsed triples, warnings).
DEBIAN_JARS = (
    "owlapi-distribution", "atinject-jsr330-api", "caffeine", "commons-codec", "commons-io",
    "commons-rdf-api", "guava", "hppcrt", "httpclient", "httpclient-cache", "httpcore",
    "jackson-annotations", "jackson-core", "jackson-databind", "jsonld-java", "jsr305",
    "slf4j-api", "slf4j-simple", "xz",
)  # fmt: skip
RDF_FORMATS = {"RioTurtleDocumentFormat", "TurtleDocumentFormat"}
# Violations of the data itself: a term the ontology does not declare, or declares as another kind.
DATA_VIOLATIONS = {
    "UseOfUndeclaredClass", "UseOfUndeclaredObjectProperty", "UseOfUndeclaredDataProperty",
    "UseOfUndeclaredAnnotationProperty", "IllegalPunning",
}  # fmt: skip

Event = dict[str, str]


def _classpath() -> list[Path]:
    """Debian's OWL API with its dependencies, and the HermiT jars of scripts/fetch-hermit."""
    debian = Path(os.environ.get("CYBERCRIME_KG_OWLAPI_DIR", "/usr/share/java"))
    hermit = Path(os.environ.get("CYBERCRIME_KG_HERMIT_DIR", ROOT / ".cache" / "hermit"))
    jars = [debian / f"{name}.jar" for name in DEBIAN_JARS]
    jars += sorted(debian.glob("rdf4j-*.jar"))
    jars += sorted(hermit.glob("*.jar"))
    missing = [str(jar) for jar in jars if not jar.is_file()]
    if not any(debian.glob("rdf4j-rio-turtle*.jar")):
        missing.append(f"{debian}/rdf4j-rio-turtle.jar")
    if not any(hermit.glob("org.semanticweb.hermit-*.jar")):
        missing.append(f"{hermit}/org.semanticweb.hermit-*.jar (set CYBERCRIME_KG_HERMIT_DIR)")
    if missing:
        pytest.fail(f"OWL API/HermiT jars missing: {', '.join(missing)}; {SETUP_HINT}")
    return jars


@functools.cache
def _toolchain() -> tuple[str, str]:
    """The java command and a classpath with OwlCheck compiled (cached on source and jars)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(f"no `java` on PATH (a JRE runs the OWL checks); {SETUP_HINT}")
    classpath = os.pathsep.join(str(jar) for jar in _classpath())
    digest = hashlib.sha256(SOURCE.read_bytes() + classpath.encode()).hexdigest()[:16]
    classes = Path(tempfile.gettempdir()) / f"cybercrime-kg-owlcheck-{digest}"
    if not (classes / "OwlCheck.class").is_file():
        scratch = Path(tempfile.mkdtemp(prefix="cybercrime-kg-owlcheck-"))
        # javac as a module of the JRE: Debian's default-jre-headless has no javac command.
        compiler = ["-m", "jdk.compiler/com.sun.tools.javac.Main", "-nowarn", "-encoding", "UTF-8"]
        done = subprocess.run(
            [java, *compiler, "-d", str(scratch), "-cp", classpath, str(SOURCE)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            shutil.rmtree(scratch, ignore_errors=True)
            pytest.fail(f"cannot compile {SOURCE.name}:\n{done.stdout}{done.stderr}")
        try:
            scratch.rename(classes)
        except OSError:  # a parallel run got there first
            shutil.rmtree(scratch, ignore_errors=True)
    return java, f"{classes}{os.pathsep}{classpath}"


@functools.cache
def owlcheck(*args: str) -> tuple[Event, ...]:
    """Run one OwlCheck command and return the events it printed."""
    java, classpath = _toolchain()
    done = subprocess.run(
        [java, "-cp", classpath, "OwlCheck", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"OwlCheck {args[0]} exited with {done.returncode}:\n{done.stderr}")
    return tuple(json.loads(line) for line in done.stdout.splitlines() if line.startswith("{"))


def parse_profile(files: Sequence[Path]) -> tuple[Event, ...]:
    return owlcheck("parse-profile", *map(str, files))


def reason(ontology: Sequence[Path], data: Sequence[Path] = ()) -> tuple[Event, ...]:
    return owlcheck("reason", *map(str, ontology), "--", *map(str, data))


def found(events: tuple[Event, ...], event: str, *fields: str, file: Path | None = None) -> list:
    """The fields of every `event` (of `file` if given): strings for one field, else tuples."""
    rows = [
        tuple(e[f] for f in fields)
        for e in events
        if e["event"] == event and (file is None or e["file"] == str(file))
    ]
    return [row[0] if len(row) == 1 else row for row in rows]


def entities(violations: list[tuple[str, str]]) -> list[str]:
    """Violations by kind and offending entity, with how many axioms each spoils."""
    counts: dict[str, int] = {}
    for kind, message in violations:
        match = re.search(r": (<[^>]+>|\S+)", message)
        key = f"{kind} {match.group(1) if match else message}"
        counts[key] = counts.get(key, 0) + 1
    return [f"{key} ({n} axioms)" for key, n in sorted(counts.items())]


# --- The project's ontology and data ---

LAYOUT = project_layout()
ONTOLOGY_FILES = list(turtle_files(LAYOUT.ontology))
DATA_FILES = list(turtle_files(LAYOUT.data))
by_file = pytest.mark.parametrize(
    "path", ONTOLOGY_FILES, ids=[p.relative_to(LAYOUT.root).as_posix() for p in ONTOLOGY_FILES]
)


def test_there_is_an_ontology():
    assert ONTOLOGY_FILES, f"no Turtle file in {LAYOUT.ontology}"


@by_file
def test_loads_with_a_turtle_parser(path: Path):
    events = parse_profile(ONTOLOGY_FILES)
    assert_none(found(events, "parse-error", "parser", "message", file=path), "parse errors")
    assert found(events, "loaded", "format", file=path)[0] in RDF_FORMATS


@by_file
def test_loads_without_warnings_or_unparsed_triples(path: Path):
    events = parse_profile(ONTOLOGY_FILES)
    assert_none(found(events, "parse-warning", "level", "message", file=path), "parse warnings")
    assert_none(found(events, "unparsed-triple", "triple", file=path), "unparsed triples")
    assert_none(found(events, "missing-import", "iri", file=path), "unresolved imports")


@by_file
def test_in_owl2_dl_profile(path: Path):
    events = parse_profile(ONTOLOGY_FILES)
    violations = found(events, "profile-violation", "kind", "message", file=path)
    assert_none(violations, "OWL 2 DL profile violations")


def _assert_consistent_and_satisfiable(events: tuple[Event, ...]) -> None:
    assert_none(found(events, "parse-error", "file", "message"), "parse errors")
    assert_none(found(events, "reasoner-error", "kind", "message"), "reasoner errors")
    assert found(events, "consistent", "value") == ["true"]
    assert_none(found(events, "unsatisfiable", "iri"), "unsatisfiable classes")


def test_hermit_ontology():
    _assert_consistent_and_satisfiable(reason(ONTOLOGY_FILES))


def test_hermit_ontology_with_data():
    assert DATA_FILES, f"no Turtle file in {LAYOUT.data}"
    _assert_consistent_and_satisfiable(reason(ONTOLOGY_FILES, DATA_FILES))


def test_data_read_without_warnings_or_unparsed_triples():
    events = reason(ONTOLOGY_FILES, DATA_FILES)
    assert_none(found(events, "parse-warning", "file", "message"), "parse warnings")
    assert_none(found(events, "unparsed-triple", "file", "triple"), "unparsed triples")


def test_data_uses_the_ontology_terms():
    """Data that uses undeclared terms is read as annotations, so HermiT would never see it."""
    events = reason(ONTOLOGY_FILES, DATA_FILES)
    violations = found(events, "profile-violation", "kind", "message")
    offenders = [(kind, message) for kind, message in violations if kind in DATA_VIOLATIONS]
    assert_none(entities(offenders), "terms the ontology does not declare (or declares otherwise)")


# --- Each check can fail: fixtures with one defect each ---


def fixture_events() -> tuple[Event, ...]:
    return parse_profile(sorted(FIXTURES.glob("*.ttl")))


def test_fixture_good_passes_every_check():
    good = FIXTURES / "good.ttl"
    events = fixture_events()
    assert [e["event"] for e in events if e["file"] == str(good)] == ["loaded"]
    assert found(events, "loaded", "format", file=good) == ["RioTurtleDocumentFormat"]
    _assert_consistent_and_satisfiable(reason([good]))


def test_broken_turtle_is_a_parse_error_though_the_obo_parser_takes_it():
    broken = FIXTURES / "broken-turtle.ttl"
    events = fixture_events()
    assert found(events, "loaded", "format", "rdf", file=broken) == [("OBODocumentFormat", "false")]
    assert found(events, "parse-error", "parser", "message", file=broken) == [
        ("RioTurtleParser", "Expected '.', found 'e' [line 7]"),
        (
            "TurtleOntologyParser",
            "org.semanticweb.owlapi.rdf.turtle.parser.ParseException: Encountered unexpected "
            'token: "ex:Event" <PNAME_LN> at line 7, column 1.',
        ),
        ("OBODocumentFormat", "only a non-RDF parser (OBODocumentFormat) accepted the file"),
    ]


def test_dangling_predicate_is_a_parse_error_though_rio_takes_it():
    dangling = FIXTURES / "dangling-predicate.ttl"
    events = fixture_events()
    assert found(events, "loaded", "format", file=dangling) == ["RioTurtleDocumentFormat"]
    assert found(events, "parse-error", "parser", "message", file=dangling) == [
        (
            "TurtleOntologyParser",
            "org.semanticweb.owlapi.rdf.turtle.parser.ParseException: Encountered unexpected "
            'token: "." "." at line 7, column 15.',
        )
    ]


def test_unparsed_triple_is_reported():
    unparsed = FIXTURES / "unparsed-triple.ttl"
    events = fixture_events()
    [triple] = found(events, "unparsed-triple", "triple", file=unparsed)
    assert re.fullmatch(
        r"_:\S+ -> http://www.w3.org/2002/07/owl#onProperty -> http://example.org/unparsed#chairedBy",
        triple,
    )
    [warning] = found(events, "parse-warning", "message", file=unparsed)
    assert re.fullmatch(
        r"Entity not properly recognized, missing triples in input\? "
        r"http://org.semanticweb.owlapi/error#Error\d+ for type Class",
        warning,
    )


def _violations(name: str) -> list[tuple[str, str]]:
    return found(fixture_events(), "profile-violation", "kind", "message", file=FIXTURES / name)


def test_xsd_date_range_is_a_profile_violation():
    assert _violations("date-range.ttl") == [
        (
            "UseOfUndeclaredDatatype",
            "Use of undeclared datatype: xsd:date [DataPropertyRange("
            "<http://example.org/date#heldOn> xsd:date) in OntologyID("
            "OntologyIRI(<http://example.org/date>) VersionIRI(<null>))]",
        )
    ]


def test_xsd_date_range_stops_hermit():
    events = reason([FIXTURES / "date-range.ttl"])
    [(kind, message)] = found(events, "reasoner-error", "kind", "message")
    assert kind == "UnsupportedDatatypeException"
    assert "'http://www.w3.org/2001/XMLSchema#date' is not part of the OWL 2 datatype" in message


def test_annotation_property_punned_as_data_property_is_a_violation():
    assert _violations("punned-annotation.ttl") == [
        (
            "IllegalPunning",
            "Cannot pun between properties: <http://purl.org/dc/terms/title> "
            "[AnnotationPropertyRange(<http://purl.org/dc/terms/title> "
            "<http://www.w3.org/2001/XMLSchema#string>) in OntologyID("
            "OntologyIRI(<http://example.org/pun>) VersionIRI(<null>))]",
        )
    ]
    [warning] = found(
        fixture_events(), "parse-warning", "message", file=FIXTURES / "punned-annotation.ttl"
    )
    assert warning.startswith(
        "Illegal redeclarations of entities: reuse of entity http://purl.org/dc/terms/title "
        "in punning not allowed"
    )


def test_undeclared_class_is_a_violation():
    assert _violations("undeclared-class.ttl") == [
        (
            "UseOfUndeclaredClass",
            "Use of undeclared class: <http://example.org/undeclared#Event> [SubClassOf("
            "<http://example.org/undeclared#Meeting> <http://example.org/undeclared#Event>) in "
            "OntologyID(OntologyIRI(<http://example.org/undeclared>) VersionIRI(<null>))]",
        )
    ]


def test_disjoint_classes_with_a_common_instance_are_inconsistent():
    events = reason([FIXTURES / "inconsistent.ttl"])
    assert found(events, "consistent", "value") == ["false"]


def test_class_below_disjoint_classes_is_unsatisfiable():
    events = reason([FIXTURES / "unsatisfiable.ttl"])
    assert found(events, "consistent", "value") == ["true"]
    assert found(events, "unsatisfiable", "iri") == [
        "http://example.org/unsatisfiable#StateOrganization"
    ]


def test_data_with_xsd_date_is_reasoned_over():
    events = reason([FIXTURES / "good.ttl"], [FIXTURES / "good-data.ttl"])
    _assert_consistent_and_satisfiable(events)
    assert [k for k, _ in found(events, "profile-violation", "kind", "message")] == [
        "UseOfDefinedDatatypeInLiteral",
        "UseOfUndeclaredDatatype",
    ]


def test_data_with_undeclared_terms_is_caught():
    events = reason([FIXTURES / "good.ttl"], [FIXTURES / "stray-data.ttl"])
    violations = found(events, "profile-violation", "kind", "message")
    assert sorted(kind for kind, _ in violations if kind in DATA_VIOLATIONS) == [
        "UseOfUndeclaredAnnotationProperty",
        "UseOfUndeclaredClass",
    ]


def test_missing_jars_fail_instead_of_skipping(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("CYBERCRIME_KG_HERMIT_DIR", str(tmp_path))
    with pytest.raises(pytest.fail.Exception, match=r"org\.semanticweb\.hermit-.*scripts/run test"):
        _classpath()

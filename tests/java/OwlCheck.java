/*
 * The OWL checks of tests/test_owl.py, on the OWL API (the library Protégé uses) and HermiT.
 *
 *   java OwlCheck parse-profile FILE...          load each file as Protégé does; OWL 2 DL profile
 *   java OwlCheck reason ONTOLOGY... -- DATA...   HermiT: consistency and unsatisfiable classes
 *
 * Prints one JSON object per line ({"file", "event", ...}); tests/owlcheck.py reads them.
 * Exit status 0 unless the command line is wrong: findings are data, not failures of this program.
 */

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.RDFParseException;
import org.eclipse.rdf4j.rio.RDFParser;
import org.eclipse.rdf4j.rio.Rio;
import org.eclipse.rdf4j.rio.helpers.AbstractRDFHandler;
import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.ReasonerFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.UnparsableOntologyException;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyCreationException;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.reasoner.OWLReasoner;
import org.semanticweb.owlapi.rdf.turtle.parser.TurtleOntologyParser;
import org.semanticweb.owlapi.rio.RioTurtleParserFactory;

public final class OwlCheck {
    private static final String UNPARSED = "Unparsed triple: ";

    private OwlCheck() {}

    public static void main(String[] args) throws Exception {
        // The OWL API reports unparsed triples and repaired input only in its log: capture it.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        List<String> rest = List.of(args).subList(Math.min(1, args.length), args.length);
        int split = rest.indexOf("--");
        if (args.length > 1 && args[0].equals("parse-profile")) {
            rest.forEach(OwlCheck::parseProfile);
        } else if (args.length > 1 && args[0].equals("reason") && split >= 0) {
            reason(rest.subList(0, split), rest.subList(split + 1, rest.size()));
        } else {
            System.err.println("usage: OwlCheck parse-profile FILE... | OwlCheck reason ONTOLOGY... -- DATA...");
            System.exit(2);
        }
    }

    private static void parseProfile(String file) {
        // Load even when the syntax check failed, to show which parser Protégé would end up with.
        syntax(file);
        OWLOntologyManager manager = offlineManager(file);
        OWLOntology ontology = logged(file, () -> {
            try {
                // Protégé's way: every parser in turn, the first that accepts the file wins.
                return manager.loadOntologyFromOntologyDocument(new File(file));
            } catch (UnparsableOntologyException e) {
                e.getExceptions().forEach((parser, error) -> emit(file, "parse-error",
                    "parser", parser.getClass().getSimpleName(), "message", summary(error)));
            } catch (OWLOntologyCreationException e) {
                emit(file, "parse-error", "parser", "", "message", summary(e));
            }
            return null;
        });
        if (ontology == null) {
            return;
        }
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        String formatName = format == null ? "none" : format.getClass().getSimpleName();
        boolean rdf = format instanceof RDFDocumentFormat;
        emit(file, "loaded", "format", formatName, "rdf", String.valueOf(rdf),
            "ontology", ontology.getOntologyID().getOntologyIRI().map(IRI::toString).orElse(""),
            "axioms", String.valueOf(ontology.getAxiomCount()));
        if (!rdf) {
            // The OBO and KRSS parsers accept almost any text: only an RDF parser counts.
            emit(file, "parse-error", "parser", formatName,
                "message", "only a non-RDF parser (" + formatName + ") accepted the file");
            return;
        }
        // Empty in OWL API 5.1.20 (the log has them), read in case a later version fills it.
        format.getOntologyLoaderMetaData().ifPresent(data -> data.getUnparsedTriples()
            .forEach(triple -> emit(file, "unparsed-triple", "triple", triple.toString())));
        profile(file, ontology);
    }

    /**
     * Both Turtle parsers of the OWL API, strict: inside the OWL API, Rio recovers from errors,
     * and Rio 3.7 alone takes a dangling predicate (`ex:p .`) for an empty number.
     */
    private static boolean syntax(String file) {
        boolean ok = true;
        RDFParser rio = Rio.createParser(RDFFormat.TURTLE);
        rio.setRDFHandler(new AbstractRDFHandler() {});
        try (InputStream in = new FileInputStream(file)) {
            rio.parse(in, new File(file).toURI().toString());
        } catch (Exception e) {
            long line = e instanceof RDFParseException parse ? parse.getLineNumber() : -1;
            emit(file, "parse-error", "parser", "RioTurtleParser", "message", summary(e),
                "line", String.valueOf(line));
            ok = false;
        }
        OWLOntologyManager manager = offlineManager(file);
        try {
            // Its log repeats what the real load reports, so it is captured and dropped.
            captured(() -> new TurtleOntologyParser().parse(new FileDocumentSource(new File(file)),
                manager.createOntology(), manager.getOntologyLoaderConfiguration()));
        } catch (Exception e) {
            emit(file, "parse-error", "parser", "TurtleOntologyParser", "message", summary(e));
            ok = false;
        }
        return ok;
    }

    /** A manager that never downloads: each import it has not loaded resolves to a missing file. */
    private static OWLOntologyManager offlineManager(String file) {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getIRIMappers().set(iri -> IRI.create(new File("/nonexistent/offline-import")));
        manager.getOntologyConfigurator()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        manager.addMissingImportListener(event -> emit(file, "missing-import",
            "iri", event.getImportedOntologyURI().toString()));
        return manager;
    }

    private static void profile(String file, OWLOntology ontology) {
        for (OWLProfileViolation violation : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
            emit(file, "profile-violation", "kind", violation.getClass().getSimpleName(),
                "message", violation.toString());
        }
    }

    private static void reason(List<String> ontologyFiles, List<String> dataFiles) throws Exception {
        List<String> files = new ArrayList<>(ontologyFiles);
        files.addAll(dataFiles);
        String scope = dataFiles.isEmpty() ? "ontology" : "ontology+data";
        OWLOntologyManager manager = offlineManager(scope);
        // One ontology for all files, so the data is read with the ontology's declarations.
        OWLOntology merged = manager.createOntology();
        for (String file : files) {
            if (!syntax(file)) {
                return;
            }
            logged(file, () -> new RioTurtleParserFactory().createParser()
                .parse(new FileDocumentSource(new File(file)), merged, manager.getOntologyLoaderConfiguration()));
        }
        profile(scope, merged);
        Configuration hermit = new Configuration();
        // The data carries xsd:date literals, outside the OWL 2 datatype map that HermiT implements.
        hermit.ignoreUnsupportedDatatypes = !dataFiles.isEmpty();
        long start = System.nanoTime();
        logged(scope, () -> {
            OWLReasoner reasoner = null;
            try {
                reasoner = new ReasonerFactory().createReasoner(merged, hermit);
                boolean consistent = reasoner.isConsistent();
                emit(scope, "consistent", "value", String.valueOf(consistent),
                    "axioms", String.valueOf(merged.getAxiomCount()));
                if (consistent) {
                    for (OWLClass cls : reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()) {
                        emit(scope, "unsatisfiable", "iri", cls.getIRI().toString());
                    }
                }
            } catch (RuntimeException e) {
                emit(scope, "reasoner-error", "kind", e.getClass().getSimpleName(), "message", summary(e));
            } finally {
                if (reasoner != null) {
                    reasoner.dispose();
                }
            }
            return null;
        });
        emit(scope, "reasoned", "seconds", String.format("%.3f", (System.nanoTime() - start) / 1e9));
    }

    /** Run `work` with stderr (where slf4j-simple logs) captured; return what was logged. */
    private static String captured(Callable<?> work) throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            work.call();
        } finally {
            System.setErr(stderr);
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    /** Run `work`, then report what the OWL API logged while it ran. */
    private static <T> T logged(String file, Callable<T> work) {
        List<T> result = new ArrayList<>();
        String log;
        try {
            log = captured(() -> result.add(work.call()));
        } catch (Exception e) {
            emit(file, "parse-error", "parser", "", "message", summary(e));
            return null;
        }
        // slf4j-simple writes "LEVEL logger - message", a message may run over several lines.
        Set<String> records = new LinkedHashSet<>();
        for (String record : log.split("\n(?=(TRACE|DEBUG|INFO|WARN|ERROR) )")) {
            records.add(record.strip());
        }
        for (String record : records) {
            String[] parts = record.split(" ", 2);
            if (parts.length < 2) {
                continue;
            }
            String message = parts[1].split(" - ", 2)[parts[1].contains(" - ") ? 1 : 0].replaceAll("\\s+", " ");
            if (message.startsWith(UNPARSED)) {
                emit(file, "unparsed-triple", "triple", message.substring(UNPARSED.length()));
            } else if (parts[0].equals("WARN") || parts[0].equals("ERROR")) {
                emit(file, "parse-warning", "level", parts[0], "message", message);
            } else {
                emit(file, "log", "level", parts[0], "message", message);
            }
        }
        return result.get(0);
    }

    /** An exception's message on one line, without the parsers' lists of expected tokens. */
    private static String summary(Throwable error) {
        String message = String.valueOf(error.getMessage()).split("Was expecting")[0];
        message = message.replaceAll("\\s+", " ").strip();
        return message.length() > 400 ? message.substring(0, 400) + "..." : message;
    }

    private static void emit(String file, String event, String... pairs) {
        StringBuilder line = new StringBuilder("{\"file\":").append(json(file))
            .append(",\"event\":").append(json(event));
        for (int i = 0; i < pairs.length; i += 2) {
            line.append(',').append(json(pairs[i])).append(':').append(json(pairs[i + 1]));
        }
        System.out.println(line.append('}'));
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}

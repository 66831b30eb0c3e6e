"""The SPARQL engines behind `engine.Engine`."""

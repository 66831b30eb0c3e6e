"""The SPARQL engines behind `engines.base.Engine`, found through its `ENGINES` registry."""

"""What the tests share: helpers imported as `helpers.<module>`, and fixtures registered as
plugins by tests/conftest.py (`helpers.stores`: the remote stores; `helpers.packaging`: the
built wheel)."""

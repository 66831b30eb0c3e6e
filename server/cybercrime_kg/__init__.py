"""cybercrime-kg: a linked-data knowledge graph of the UN Expert Group on Cybercrime."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cybercrime-kg")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"

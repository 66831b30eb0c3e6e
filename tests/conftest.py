"""Shared fixtures: the project's dataset is parsed once per session."""

from __future__ import annotations

import pytest
from rdflib import Dataset

from cybercrime_kg.dataset import load_dataset, project_parts
from cybercrime_kg.paths import Layout, project_layout


@pytest.fixture(scope="session")
def layout() -> Layout:
    return project_layout()


@pytest.fixture(scope="session")
def dataset(layout: Layout) -> Dataset:
    """The whole served dataset (ontology, data, shapes as named graphs). Do not modify."""
    return load_dataset(project_parts(layout))

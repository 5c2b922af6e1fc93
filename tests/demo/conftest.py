"""The demo county, built once for every test of this package (the build takes a while).

The build runs inside a transaction that is rolled back when the package's last test has run;
each test runs in its own savepoint inside it, so what a test changes is undone after it. The
package's tests run on one worker (xdist group "demo"), so the county is built once per run.
"""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.xdist_group("demo"))


@pytest.fixture(scope="package")
def demo_build(django_db_setup, django_db_blocker, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    out = io.StringIO()
    with django_db_blocker.unblock(), override_settings(DATA_DIR=data_dir), transaction.atomic():
        call_command("demo", stdout=out)
        yield SimpleNamespace(output=out.getvalue(), data_dir=data_dir)
        transaction.set_rollback(True)


@pytest.fixture
def built(demo_build, db, settings) -> str:
    """The output of `xuncha demo`, with the database holding the county it built."""
    settings.DATA_DIR = demo_build.data_dir
    return demo_build.output


@pytest.fixture
def data_dir(demo_build, settings) -> Path:
    settings.DATA_DIR = demo_build.data_dir
    return demo_build.data_dir


def demo(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()

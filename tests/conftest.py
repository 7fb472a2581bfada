"""Shared fixtures: real database (SQLite or PostgreSQL), real users and groups, real pages."""

import os
import shutil

import pytest

from django.contrib.auth.models import Group

from wagtail.models import Page

CHROMIUM = os.environ.get("SIAR_CHROMIUM", "/usr/bin/chromium")
pytest_plugins = ["tests.submission_support"]  # fixtures of the KIM submission tests


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_page(db):
    from cms.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def news_index(db):
    from cms.models import NewsIndexPage

    return NewsIndexPage.objects.get()


@pytest.fixture
def directory_index(db):
    from cms.models import DirectoryIndexPage

    return DirectoryIndexPage.objects.get()


def _user_in_group(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(
        username=username, password="rahasia-uji-123", email=f"{username}@example.id"
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db, django_user_model):
    """A member of Wagtail's Editors group, as an office's editor would be."""
    return _user_in_group(django_user_model, "editor", "Editors")


@pytest.fixture
def moderator(db, django_user_model):
    return _user_in_group(django_user_model, "moderator", "Moderators")


@pytest.fixture
def outsider(db, django_user_model):
    """Can log in to the admin but holds no content permission."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="outsider", password="rahasia-uji-123")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def root_page(db):
    return Page.objects.get(depth=1)


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's Chromium; missing is a skip on a laptop but a failure under CI."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run installs Debian's chromium package.")
    pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium to run browser tests.")


def pytest_runtest_setup(item):
    """`@pytest.mark.postgres` tests are skipped on SQLite before their fixtures run: a transactional database
    fixture that is set up only to skip would still flush the database, and the flush recreates content types
    under new ids, which breaks the serialized-rollback restore of the browser tests that follow."""
    if item.get_closest_marker("postgres") is not None:
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL")


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrated content afterwards (serialized rollback).

    A transactional test ends with a flush, which empties even what data migrations made (the Moderators and
    Editors groups, the home page, the Verifikasi workflow). Without the restore, any later test that relies
    on them fails or passes depending on test order — seen on PostgreSQL, where the concurrency tests run.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction") or "serialized_rollback" in marker.kwargs:
            continue
        restored = pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True})
        item.add_marker(restored, append=False)  # prepended: the closest marker is the one pytest-django reads

"""Personas: applicant, reviewer, officer (programme staff), oversight, outsider;
and the demo data (`demo`), loaded once per session."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.test.client import ClientMixin

from accounts.middleware import FORCE_LOGIN_SESSION_KEY
from core.roles import Role

from .factories import OrganisationFactory, ProgrammeFactory, UserFactory


@pytest.fixture
def programme(officer):
    """A programme that `officer` staffs."""
    return ProgrammeFactory(staff=[officer])


@pytest.fixture
def officer(db):
    """Programme staff (edits the programmes that list them)."""
    return UserFactory(role=Role.PROGRAMME_STAFF, full_name="担当 職員")


@pytest.fixture
def other_officer(db):
    """Programme staff of some other programme."""
    return UserFactory(role=Role.PROGRAMME_STAFF, full_name="他 職員")


@pytest.fixture
def oversight(db):
    """Cabinet Office oversight viewer: reads everything, writes nothing."""
    return UserFactory(role=Role.OVERSIGHT, full_name="内閣府 閲覧")


@pytest.fixture
def reviewer(db):
    return UserFactory(role=Role.REVIEWER, full_name="審査 委員")


@pytest.fixture
def applicant(db):
    """An owner of `organisation`."""
    return UserFactory(role=Role.APPLICANT, full_name="申請 太郎")


@pytest.fixture
def organisation(applicant):
    return OrganisationFactory(member=applicant)


@pytest.fixture
def outsider(db):
    """A signed-in applicant of some other organisation."""
    user = UserFactory(role=Role.APPLICANT, full_name="外部 次郎")
    OrganisationFactory(member=user)
    return user


@pytest.fixture(autouse=True)
def _english_off(settings):
    """Tests run in the default language (ja) unless they switch."""
    settings.LANGUAGE_CODE = "ja"


# --- The demo data, once per session ------------------------------------------------
#
# `load_demo` takes a second or more; the tests that read the demo data share one
# load. `demo_data` loads it inside a transaction that stays open until the end of
# the session and is then rolled back; each test using it runs in a savepoint over
# it (pytest-django's `db`), so what a test writes is gone before the next one.
# No other test may see the data, so the tests that use it run last (below): after
# the transactional tests too, whose flush empties the lists the migrations seed;
# they are seeded again first. Browser tests have their own committed `demo`
# (tests/e2e/conftest.py): a live server cannot see an open transaction.

SEEDED_LISTS = ("grants.migrations.0002_seed_managed_lists",
                "reporting.migrations.0002_seed_feature_tags")


def seed_managed_lists():
    """The lists the data migrations seed (idempotent: get_or_create)."""
    from importlib import import_module

    from django.apps import apps

    for module in SEEDED_LISTS:
        import_module(module).seed(apps, None)


@pytest.fixture(scope="session")
def demo_data(django_db_setup, django_db_blocker):
    """The output of `load_demo`, loaded once; rolled back when the session ends."""
    from django.core.management import call_command
    from django.db import transaction

    out = StringIO()
    session = transaction.atomic()
    with django_db_blocker.unblock():
        session.__enter__()
    try:
        with django_db_blocker.unblock():
            seed_managed_lists()
            call_command("load_demo", stdout=out)
        yield out.getvalue()
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            session.__exit__(None, None, None)


@pytest.fixture
def demo(demo_data, db):
    """The demo data, for one test (in a savepoint); returns what `load_demo` printed."""
    return demo_data


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests over the session's demo data run last, in their collected order."""
    items[:] = ([item for item in items if "demo_data" not in item.fixturenames]
                + [item for item in items if "demo_data" in item.fixturenames])


@pytest.fixture(autouse=True, scope="session")
def _force_login_counts_as_two_factor():
    """Programme staff, oversight and reviewers must give a one-time code
    after their password (accounts.middleware.TwoFactorMiddleware). Tests
    that only need a signed-in user call `client.force_login(user)`; that
    marks the session, and the test settings (OTP_TRUST_FORCE_LOGIN) let a
    marked session through. Logging in through the login page gets no mark,
    and tests of two-factor authentication turn the setting off."""
    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[FORCE_LOGIN_SESSION_KEY] = True
        session.save()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ClientMixin, "force_login", force_login)
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits (the API token endpoint's throttle) and cached choices
    start empty in every test."""
    cache.clear()

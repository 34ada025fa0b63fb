"""Shared by every test module: Hypothesis profiles, the fixed clock, a fast password hasher,
the demo written once per run, standard personas and the browser fixture."""

import datetime
import email
import email.policy
import fcntl
import gc
import os
import pickle
import shutil
import socket
import zoneinfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.test import override_settings
from django.test.client import ClientMixin
from hypothesis import settings as hypothesis_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from seuil.core import pdf
from seuil.core.backup import kept_in_backups
from tests.core import two_factor
from tests.core.factories import OrganisationFactory, UserFactory

CHROMIUM = "/usr/bin/chromium"

# Hypothesis: `dev` (the default) tries fewer examples; `ci` (chosen when CI is set) tries
# more, the same ones at every run, without a deadline; `ci-sqlite`, for CI's pass on SQLite
# (.ci/run), as `ci` with dev's number of examples: CI runs the suite twice, and the long
# search for cases runs once, on PostgreSQL, the production database. HYPOTHESIS_PROFILE
# chooses.
CI_EXAMPLES, DEV_EXAMPLES = 100, 25
hypothesis_settings.register_profile(
    "ci", max_examples=CI_EXAMPLES, derandomize=True, deadline=None, print_blob=True
)
hypothesis_settings.register_profile(
    "ci-sqlite", hypothesis_settings.get_profile("ci"), max_examples=DEV_EXAMPLES
)
hypothesis_settings.register_profile("dev", max_examples=DEV_EXAMPLES)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests marked `runs_first` first (after pytest-randomly's shuffle: this hook runs
    last). xdist's worksteal gives each worker one half of the collection in its order, then
    moves tests not started yet from the busier worker to the idle one. A test of minutes is
    not moved once started: begun last, it would keep one worker busy while the other has
    nothing left to do."""
    items.sort(key=lambda item: item.get_closest_marker("runs_first") is None)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """The garbage collector, tuned for a test run: CPU time the tests spent in it, mostly
    walking objects that live as long as the process, went from over a tenth of the
    permission battery's to under a twentieth.

    Once every module is imported, the objects alive (Django's apps and models, the test
    modules: some 200,000) are moved out of its reach (`gc.freeze`); they are freed as
    usual when nothing refers to them any more. It then runs after 50,000 allocations
    instead of 700, and a full collection after 400 of these instead of 100: a request
    allocates thousands of objects, that the reference counts free anyway."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def examples(ci):
    """The number of examples of a property test that tries `ci` of them under the ci
    profile: a quarter of it under dev (at least 5, or `ci` when smaller)."""
    scaled = ci * hypothesis_settings.default.max_examples // CI_EXAMPLES
    return max(min(ci, 5), scaled)


# The fixed day of the tests that depend on today (the demo's day too), and the instant the
# clock starts from on that day: noon in Paris, far from a change of day. In UTC, as
# `timezone.now()` gives it: arithmetic on it is exact even across a change of summer time.
TODAY = datetime.date(2025, 6, 15)
NOON = datetime.datetime.combine(
    TODAY, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(django_settings.TIME_ZONE)
).astimezone(datetime.UTC)


def days_ago(n):
    """The fixed day minus `n` days."""
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def frozen_now():
    """The clock of the whole process (the live server's thread too) set to NOON of TODAY;
    it still ticks, so that time goes on within the test. Gives that instant."""
    with time_machine.travel(NOON, tick=True):
        yield NOON


@pytest.fixture
def today(frozen_now):
    """The fixed day, TODAY, with the clock on it (see `frozen_now`)."""
    return TODAY


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """Hashing a password the real way takes a third of a second: the tests hash with MD5."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def static_files_listed_once():
    """Django's test client builds the middleware anew for each client, and WhiteNoise then
    lists and describes every static file the finders know (a fifth of a simple page's cost
    in a test): listed once per process and per configuration, as a server does."""
    listed = {}
    list_them = WhiteNoiseMiddleware.add_files_from_finders

    def add_files_from_finders(middleware):
        key = (
            middleware.static_prefix,
            tuple(django_settings.INSTALLED_APPS),
            *(
                (name, repr(getattr(django_settings, name)))
                for name in dir(django_settings)
                if name.startswith(("STATIC", "WHITENOISE_"))
            ),
        )
        if key not in listed:
            before = dict(middleware.files)
            list_them(middleware)
            listed[key] = {
                url: found
                for url, found in middleware.files.items()
                if before.get(url) is not found
            }
        middleware.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders
    yield
    WhiteNoiseMiddleware.add_files_from_finders = list_them


@pytest.fixture
def pdfs_as_their_html(monkeypatch):
    """Documents "printed" as the HTML they would be laid out from: what they say can be
    searched (a PDF's text is compressed), and WeasyPrint's layout, most of what the
    permission batteries would cost, is left to the tests of the documents themselves."""
    monkeypatch.setattr(pdf, "_lay_out", lambda html, stylesheets, name: html.encode())


@pytest.fixture
def templates_not_recorded(monkeypatch):
    """Pages rendered without the test client's record of each template (its name and a
    copy of its context, for `response.templates` and `response.context`): for the
    batteries, that walk thousands of pages and read only their status and text."""
    from django.template.base import Template
    from django.test.utils import _TestState

    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: the API's request counts (keyed by the user's
    id, which a rolled-back test may give again) do not carry over."""
    cache.clear()


@pytest.fixture(autouse=True)
def force_login_gives_the_second_factor(monkeypatch):
    """`client.force_login(user)` opens a session that has given its second factor too.

    Tests of the second-factor step itself log in with `two_factor.password_only_login`.
    """
    monkeypatch.setattr(ClientMixin, "force_login", two_factor.verified_force_login)


@pytest.fixture
def org_a(db):
    return OrganisationFactory(ref="asso-a", name="Association A")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(ref="asso-b", name="Association B")


@pytest.fixture
def member_a(org_a):
    """A service manager of organisation A."""
    return UserFactory(username="responsable-a", organisation=org_a)


@pytest.fixture
def member_b(org_b):
    """A service manager of organisation B."""
    return UserFactory(username="responsable-b", organisation=org_b)


@pytest.fixture
def client_a(client, member_a):
    client.force_login(member_a)
    return client


@pytest.fixture
def document_storage(settings, tmp_path):
    """Attached documents stored in a folder of the test's own (`core.documents`): the
    folder, to look at what lies on disk."""
    folder = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            **settings.STORAGES["documents"],
            "OPTIONS": {**settings.STORAGES["documents"]["OPTIONS"], "location": folder},
        },
    }
    return folder


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, started once for a whole test module (each test gets its own
    context, `page`); skips (saying so) where it is not installed, and on a database other
    than SQLite."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed: browser test skipped")
    if connection.vendor != "sqlite":
        # CI runs the suite on both databases; what a person sees and clicks does not depend
        # on which (the flows' writes are tested on both through Django's client), and the
        # browser tests are long: they run once, on SQLite.
        pytest.skip("the browser tests run on SQLite only")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the
    # tests themselves are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                # No optimising compilers: a page of the tests lives for a second, and
                # V8's background threads optimising axe-core's functions for a page about
                # to be left cost the renderers a fifth of their CPU time (measured on the
                # accessibility sweep of one role), with no gain in the walk's wall time.
                "--js-flags=--no-opt --no-maglev",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class SmtpServer(list):
    """A real SMTP server on 127.0.0.1 (aiosmtpd, in a thread): the messages it received
    (`email.message.EmailMessage`, with `envelope_recipients`); `stop()` takes it down,
    `start()` brings it back on the same port."""

    def __init__(self):
        super().__init__()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.append(message)
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (`SmtpServer`), where Seuil's e-mails go."""
    server = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    server.start()
    yield server
    server.stop()


@pytest.fixture
def page(live_server, browser):
    """A Playwright page of its own (cookies, storage) on the module's browser."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    yield context.new_page()
    # The test's own queries ran while Playwright's loop was alive: close them here.
    connections.close_all()
    context.close()


# The demo, written once per run (per xdist worker) then copied into each test that needs it.


def _copied_models():
    # What a backup leaves out is not copied either: the versions of the reports' data
    # (`reports.inputs`), which inserting the demo's rows again moves.
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and kept_in_backups(model)
    ]


def _table_rows(model):
    """{pk: (pk, every concrete field's value in order)} of a model's table."""
    names = [field.attname for field in model._meta.concrete_fields]
    return {row[0]: row for row in model._base_manager.values_list("pk", *names)}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is built from the models (--no-migrations): on PostgreSQL, what
    only a migration creates is added here, by that migration's own function — the
    search's trigram extension and index."""
    import importlib

    from django.apps import apps
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    search_migration = importlib.import_module(
        "seuil.households.migrations.0008_person_search_name"
    )
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        search_migration.create_trigram_index(apps, editor)


def demo_rows():
    """The rows the demo of TODAY writes, model by model, as the ORM reads them back.

    Written with the clock on TODAY, in a transaction rolled back at once: the test
    database stays as it was."""
    from seuil.demo.load import load_demo

    with time_machine.travel(NOON, tick=False):
        before = {model: _table_rows(model) for model in _copied_models()}
        with transaction.atomic():
            load_demo(today=TODAY)
            rows = {}
            for model, earlier in before.items():
                after = _table_rows(model)
                changed = [pk for pk, row in earlier.items() if after.get(pk) != row]
                assert not changed, f"the demo changes rows it did not write: {model}"
                written = [row[1:] for pk, row in after.items() if pk not in earlier]
                if written:
                    rows[model] = written
            transaction.set_rollback(True)
    return rows


def demo_statements_of(rows):
    """The SQL statements (with their parameters) that write `rows` (`demo_rows`) again as
    they were (same keys, no save(), no signal), then set the tables' sequences after them:
    compiled as the ORM's bulk insert compiles them."""
    from django.db.models.sql import InsertQuery

    statements = []
    for model, values in rows.items():
        fields = model._meta.concrete_fields
        objs = [model(*row) for row in values]
        batch = connection.ops.bulk_batch_size(fields, objs) or len(objs)
        for start in range(0, len(objs), batch):
            query = InsertQuery(model)
            query.insert_values(fields, objs[start : start + batch], raw=True)
            statements.extend(query.get_compiler(connection=connection).as_sql())
    reset = connection.ops.sequence_reset_sql(no_style(), list(rows))
    return [*statements, *((statement, None) for statement in reset)]


@pytest.fixture(scope="session")
def demo_statements(django_db_setup, django_db_blocker, tmp_path_factory, worker_id):
    """The statements that write the demo of TODAY (`demo_statements_of(demo_rows())`).

    The demo is written once per run: by the first test worker that needs it, which
    leaves the statements to the others in the run's temporary folder (every worker's
    database is built alike). Compiling them, texts encrypted included, cost more than
    running them: each test only runs them (`demo_loaded`)."""
    with django_db_blocker.unblock():
        if worker_id == "master":  # no xdist worker: this process is the whole run
            return demo_statements_of(demo_rows())
        shared = tmp_path_factory.getbasetemp().parent / "demo-statements.pickle"
        with open(shared.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait for the first one
            if shared.exists():
                return pickle.loads(shared.read_bytes())  # noqa: S301 - written by this run
            statements = demo_statements_of(demo_rows())
            shared.write_bytes(pickle.dumps(statements))
            return statements


@pytest.fixture
def demo_loaded(db, demo_statements, today):
    """The demo of TODAY in the test's database, and the clock on TODAY.

    The rows the demo wrote once (`demo_statements`) are inserted again as they were (same
    keys, no save(), no signal): a test may change them, its transaction is rolled back
    at its end. Ask for it before any fixture
    that writes rows, as their keys could collide."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in demo_statements:
            cursor.execute(sql, params)

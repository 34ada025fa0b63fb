"""A kind of notification of the tests' own, the people of an organisation, and the worker
that sends the e-mails (`seuil db_worker`, run here until the queue is empty)."""

from unittest import mock

import pytest
from django.core.management import call_command

from seuil.core.enums import Role
from seuil.core.workers import Heartbeat
from seuil.notifications import registry
from seuil.notifications.enums import Delivery
from tests.core.factories import UserFactory

KIND = "test_event"


@pytest.fixture(autouse=True)
def test_kind(monkeypatch):
    """A kind the tests send, e-mailed at once by default, that concerns every role."""
    monkeypatch.setattr(registry, "_KINDS", dict(registry._KINDS))
    return registry.register_kind(
        KIND,
        label="Événement de test",
        summary="Quelque chose vous concerne dans Seuil.",
        default=Delivery.IMMEDIATE,
        order=1,
    )


@pytest.fixture
def manager(org_a):
    return UserFactory(
        username="responsable",
        first_name="Nadia",
        last_name="Benkhelifa",
        email="nadia@asso-a.example",
        organisation=org_a,
        role=Role.SERVICE_MANAGER,
    )


@pytest.fixture
def worker(org_a):
    return UserFactory(
        username="travailleur",
        first_name="Camille",
        last_name="Dewailly",
        email="camille@asso-a.example",
        organisation=org_a,
        role=Role.SOCIAL_WORKER,
    )


def run_worker():
    """What `seuil db_worker` does, until nothing is left to run now. Inside the test's
    transaction, its check of the connection between tasks would close it (PostgreSQL), and
    its heartbeat beats once, in the test's connection: from a thread of its own, it would
    write outside the test's transaction, rows that the next tests would see."""
    with (
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
        mock.patch.object(Heartbeat, "start", Heartbeat.beat_once),
    ):
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
        )

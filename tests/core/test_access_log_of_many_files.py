"""The access log of many files known by their uuids (an export, a bank statement's
payments): one row per file, under the user's name, however many files and on either
database (SQLite takes a few hundred values a statement: the rows go in batches)."""

from seuil.core.audit import record_uuids
from seuil.core.models import AccessLog
from seuil.households.models import Household
from tests.core.factories import OrganisationFactory, UserFactory


def test_each_file_named_is_logged_once_under_the_user(db):
    organisation = OrganisationFactory()
    user = UserFactory(organisation=organisation)
    Household.objects.bulk_create(
        Household(organisation=organisation, ref=f"M-{n}") for n in range(1200)
    )
    uuids = list(Household.objects.values_list("uuid", flat=True))
    record_uuids(user, Household, [*uuids, uuids[0]], action=AccessLog.Action.EXPORT)
    rows = AccessLog.objects.filter(action="export")
    assert sorted(rows.values_list("object_uuid", flat=True)) == sorted(uuids)
    assert set(rows.values_list("user", "role", "organisation", "object_type")) == {
        (user.pk, user.role, organisation.pk, "household")
    }

"""Exporting what was imported gives back an equivalent file."""

import json
from datetime import date, timedelta
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.exchange.exporter import (
    dumps,
    export_organisation,
    json_pieces,
    organisation_document,
)
from seuil.exchange.importer import import_exchange
from seuil.exchange.outcomes import FOLLOW_UP
from seuil.exchange.schema import (
    HOUSEHOLD,
    HOUSING_UNIT,
    LANDLORD,
    MEMBER,
    ORGANISATION,
    PROGRAMME,
    SECTOR,
    STAY,
    codes,
)
from seuil.households.enums import LegalStatus, MemberRole, ResourceType, Sex
from seuil.housing.enums import ExitDestination, Typology
from tests.conftest import examples
from tests.exchange.conftest import all_uuids, row_counts
from tests.exchange.samples import rich

pytestmark = pytest.mark.django_db

DEFAULTS = {"accessible": False, "lease_transferred": False, "support_intensity": "standard"}


def _clean(row, spec):
    """All fields of `spec`, "" as null, left-out fields at their import default."""
    return {
        name: (None if row.get(name) == "" else row.get(name, DEFAULTS.get(name))) for name in spec
    }


def normalise(document):
    """A document in canonical form: every field present, lists in ref order."""

    def by_ref(rows, spec):
        return sorted((_clean(r, spec) for r in rows or []), key=lambda r: r["ref"])

    households = []
    for household in by_ref(document.get("households"), HOUSEHOLD):
        household["resources"] = sorted(
            ({"on": r["on"], "types": sorted(r["types"])} for r in household["resources"] or []),
            key=lambda r: r["on"],
        )
        members = by_ref(household["members"], MEMBER)
        for m in members:
            m["legal_status"] = sorted(m["legal_status"] or [], key=lambda r: r["since"])
        household["members"] = members
        households.append(household)
    organisation = _clean(document["organisation"], ORGANISATION)
    organisation["kind"] = organisation["kind"] or "operator"
    return {
        "format": document["format"],
        "organisation": organisation,
        "programmes": by_ref(document.get("programmes"), PROGRAMME),
        "sectors": by_ref(document.get("sectors"), SECTOR),
        "landlords": by_ref(document.get("landlords"), LANDLORD),
        "housing_units": by_ref(document.get("housing_units"), HOUSING_UNIT),
        "households": households,
        "stays": by_ref(document.get("stays"), STAY),
        "eviction_procedures": sorted(
            document.get("eviction_procedures") or [],
            key=lambda e: (e["stay"], e["started_on"]),
        ),
        "follow_ups": by_ref(document.get("follow_ups"), FOLLOW_UP),
    }


def test_the_rich_file_comes_back_identical():
    from seuil.core.models import Organisation

    import_exchange(rich())
    exported = export_organisation(Organisation.objects.get(ref="apremis"))
    assert exported == rich()  # already canonical: same keys, same order, same values
    assert exported["housing_units"][0]["rent"] == 420.5
    assert isinstance(exported["housing_units"][0]["surface_m2"], int)
    assert '"rent": 420.5,' in dumps(exported)


def test_an_exported_file_imports_without_any_change():
    from seuil.core.models import Organisation

    import_exchange(rich())
    counts, uuids = row_counts(), all_uuids()
    text = dumps(export_organisation(Organisation.objects.get(ref="apremis")))
    summary = import_exchange(json.loads(text))
    assert not summary.changed
    assert (row_counts(), all_uuids()) == (counts, uuids)


def test_export_of_one_organisation_holds_nothing_of_another(org_b):
    from seuil.core.models import Organisation

    import_exchange(rich())
    other = rich()
    other["organisation"] = {"ref": org_b.ref, "name": org_b.name}
    for household in other["households"]:
        for person in household["members"]:
            person["last_name"] = "Ménage-de-B"
    other["housing_units"][0]["address"] = "Adresse de l'association B"
    other["landlords"][0]["name"] = "Bailleur de B"
    import_exchange(other)
    text = dumps(export_organisation(Organisation.objects.get(ref="apremis")))
    assert "Ménage-de-B" not in text
    assert "Adresse de l'association B" not in text
    assert "Bailleur de B" not in text
    assert org_b.ref not in text
    assert json.loads(text) == rich()


def test_the_file_is_written_as_its_households_are_read():
    """An export holds a batch of households at a time, not the whole organisation: the
    first households are written before the last ones are read."""
    from seuil.core.models import Organisation

    import_exchange(rich())
    pieces = json_pieces(organisation_document(Organisation.objects.get(ref="apremis")))
    with mock.patch("seuil.exchange.batches.BATCH_SIZE", 2):
        with CaptureQueriesContext(connection) as queries:
            before_first = next(p for p in pieces if '"ref": "M01"' in p)
            read_before_first = len(queries)
            text = before_first + "".join(pieces)
    assert '"ref": "M03"' in text
    read_after = [q["sql"] for q in queries.captured_queries[read_before_first:]]
    assert any('FROM "households_household"' in sql for sql in read_after)  # M03's batch


# ---------------------------------------------------------------- random valid files

names = st.text(alphabet="abcdéèëïôöüçÉÖ' -", max_size=12)
# Gaps between dates: at most four of them add up (capture, entry, joining, leaving), so
# every date falls before 2025, never more than a year after today (plausible dates).
days = st.integers(min_value=0, max_value=450)
amounts = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=5000),
    st.decimals(min_value=0, max_value=5000, places=2).map(float),
)
BASE = date(2020, 1, 1)


def maybe_after(draw, day):
    """None, or a day on or after `day`."""
    gap = draw(st.one_of(st.none(), days))
    return None if gap is None else day + timedelta(days=gap)


def iso(day):
    return day.isoformat() if day is not None else None


@st.composite
def exchange_files(draw):
    programmes = [{"ref": "p1", "name": draw(names.filter(str.strip)), "kind": None}]
    units, stays, households, evictions, follow_ups = [], [], [], [], []
    for u in range(draw(st.integers(1, 4))):
        captured_on = BASE + timedelta(days=draw(days))
        returned_on = maybe_after(draw, captured_on)
        shared = draw(st.booleans())
        unit = {
            "ref": f"L{u}",
            "programme": draw(st.sampled_from([None, "p1"])),
            "typology": "T4" if shared else draw(st.sampled_from(codes(Typology))),
            "parent": None,
            "address": draw(names) or None,
            "commune": draw(st.sampled_from([None, "80021", "2A004"])),
            "sector": None,
            "landlord": None,
            "rent": draw(amounts),
            "charges": draw(amounts),
            "surface_m2": draw(amounts),
            "accessible": draw(st.booleans()),
            "captured_on": iso(captured_on),
            "returned_on": iso(returned_on),
        }
        units.append(unit)
        lettable = [unit]
        if shared:  # a shared flat: its rooms are let, not the flat itself
            lettable = [
                dict(unit, ref=f"L{u}-{r}", typology="room", parent=unit["ref"])
                for r in range(draw(st.integers(1, 2)))
            ]
            units += lettable
        for room in lettable:
            cursor = captured_on
            for _ in range(draw(st.integers(0, 2))):
                entered_on = cursor + timedelta(days=draw(days))
                if returned_on is not None and entered_on > returned_on:
                    break
                exited_on = maybe_after(draw, entered_on)
                if returned_on is not None:
                    exited_on = min(exited_on or returned_on, returned_on)
                ref = f"{room['ref']}-S{len(stays)}"
                households.append(draw(households_for(f"M{len(stays)}", entered_on)))
                stays.append(
                    {
                        "ref": ref,
                        "household": f"M{len(stays)}",
                        "unit": room["ref"],
                        "programme": room["programme"],
                        "entered_on": iso(entered_on),
                        "exited_on": iso(exited_on),
                        "exit_destination": draw(st.sampled_from([None, *codes(ExitDestination)])),
                        "lease_transferred": draw(st.booleans()),
                        "support_intensity": draw(st.sampled_from(["standard", "reinforced"])),
                    }
                )
                if draw(st.booleans()):
                    started_on = entered_on + timedelta(days=draw(days))
                    ended_on = maybe_after(draw, started_on)
                    evictions.append(
                        {"stay": ref, "started_on": iso(started_on), "ended_on": iso(ended_on)}
                    )
                if exited_on is None:
                    break
                for _ in range(draw(st.integers(0, 2))):
                    follow_ups.append(
                        {
                            "ref": f"F{len(follow_ups)}",
                            "stay": ref,
                            "on": iso(exited_on + timedelta(days=draw(st.integers(1, 450)))),
                            "housed": draw(st.sampled_from([None, True, False])),
                            "same_home": draw(st.sampled_from([None, True, False])),
                            "employed": draw(st.sampled_from([None, True, False])),
                            "satisfaction": draw(st.sampled_from([None, 1, 2, 3, 4, 5])),
                        }
                    )
                cursor = exited_on
    return {
        "format": "seuil-exchange/1",
        "organisation": {
            "ref": "hypo",
            "name": draw(names.filter(str.strip)),
            "kind": None,
            "department": None,
        },
        "programmes": programmes,
        "sectors": [],
        "landlords": [],
        "housing_units": units,
        "households": households,
        "stays": stays,
        "eviction_procedures": evictions,
        "follow_ups": follow_ups,
    }


def households_for(ref, entered_on):
    def dated(field, extra):
        return st.lists(
            st.fixed_dictionaries({field: days.map(lambda d: iso(BASE + timedelta(d))), **extra}),
            max_size=3,
            unique_by=lambda r: r[field],
        )

    legal_status = dated("since", {"status": st.sampled_from(codes(LegalStatus))})
    resources = dated(
        "on",
        {
            "types": st.lists(
                st.sampled_from(codes(ResourceType)), min_size=1, max_size=3, unique=True
            ).map(sorted)
        },
    )

    @st.composite
    def member(draw, number):
        joined_on = maybe_after(draw, entered_on)
        left_on = None
        if draw(st.booleans()):
            left_on = (joined_on or entered_on) + timedelta(days=draw(days))
        return {
            "ref": f"{ref}-P{number}",
            "role": draw(st.sampled_from(codes(MemberRole))),
            "sex": draw(st.sampled_from([None, *codes(Sex)])),
            "birth_date": iso(
                draw(st.one_of(st.none(), st.dates(date(1930, 1, 1), date(2024, 12, 31))))
            ),
            "first_name": draw(names) or None,
            "last_name": draw(names) or None,
            "joined_on": iso(joined_on),
            "joined_reason": draw(
                st.sampled_from([None, "birth", "family_reunification", "other"])
            ),
            "left_on": iso(left_on),
            "legal_status": draw(legal_status),
        }

    return st.fixed_dictionaries(
        {
            "ref": st.just(ref),
            "prior_situation": st.sampled_from([None, "specialised_shelter", "unknown"]),
            "resources": resources,
            "members": st.integers(0, 3).flatmap(
                lambda n: st.tuples(*(member(i) for i in range(n))).map(list)
            ),
        }
    )


@settings(
    max_examples=examples(30),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=exchange_files())
def test_random_valid_files_round_trip(document):
    from seuil.core.models import Organisation

    with transaction.atomic():
        import_exchange(document)
        organisation = Organisation.objects.get(ref="hypo")
        exported = export_organisation(organisation)
        assert normalise(exported) == normalise(document)
        # Written a batch at a time (here two households, units or stays), the file is
        # the JSON of the whole document, lists in ref order across the batches.
        with mock.patch("seuil.exchange.batches.BATCH_SIZE", 2):
            text = "".join(json_pieces(organisation_document(organisation)))
        assert text == json.dumps(exported, ensure_ascii=False, indent=2) + "\n"
        assert not import_exchange(json.loads(text)).changed
        transaction.set_rollback(True)

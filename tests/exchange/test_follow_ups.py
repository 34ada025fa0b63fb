"""The `follow_ups` list of the exchange file (EXCHANGE.md §1.1): optional, atomic,
idempotent on ref, every error with its path, round trip."""

import json

import pytest

from seuil.core.models import Organisation
from seuil.exchange.exporter import dumps, export_organisation
from seuil.exchange.importer import import_exchange
from seuil.outcomes.models import FollowUp
from tests.exchange.conftest import import_errors, row_counts
from tests.exchange.samples import rich

pytestmark = pytest.mark.django_db


def follow_up(ref="F02", stay="S03", on="2025-02-10", **answers):
    return {
        "ref": ref,
        "stay": stay,
        "on": on,
        "housed": answers.get("housed", True),
        "same_home": answers.get("same_home", False),
        "employed": answers.get("employed", True),
        "satisfaction": answers.get("satisfaction", 5),
    }


def test_a_follow_up_is_imported_with_its_answers_and_exported_back():
    data = rich()
    data["follow_ups"].append(follow_up(housed=None, same_home=None, satisfaction=None))
    import_exchange(data)
    stored = FollowUp.objects.get(ref="F02")
    assert (stored.stay.ref, stored.on.isoformat()) == ("S03", "2025-02-10")
    assert (stored.housed, stored.same_home, stored.employed, stored.satisfaction) == (
        None,
        None,
        True,
        None,
    )
    assert stored.answered_by == "import"
    exported = export_organisation(Organisation.objects.get(ref="apremis"))
    assert exported["follow_ups"] == data["follow_ups"]
    assert not import_exchange(json.loads(dumps(exported))).changed


def test_importing_twice_changes_nothing_and_a_changed_answer_updates_the_same_row():
    import_exchange(rich())
    first = FollowUp.objects.get(ref="F01")
    first.same_commune = True  # an answer that does not travel in the file
    first.save()
    assert not import_exchange(rich()).changed
    data = rich()
    data["follow_ups"][0]["housed"] = False
    data["follow_ups"][0]["satisfaction"] = 2
    summary = import_exchange(data)
    counts = summary.counts["follow_ups"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 0)
    again = FollowUp.objects.get(ref="F01")
    assert again.uuid == first.uuid and FollowUp.objects.count() == 1
    assert (again.housed, again.satisfaction, again.same_commune) == (False, 2, True)


def test_a_file_without_the_list_leaves_the_follow_ups_alone():
    import_exchange(rich())
    data = rich()
    del data["follow_ups"]
    summary = import_exchange(data)
    assert not summary.changed
    assert FollowUp.objects.filter(ref="F01").exists()


def test_every_error_is_reported_with_its_path_and_nothing_is_written():
    data = rich()
    data["follow_ups"] += [
        follow_up("F02", stay="S99"),
        follow_up("F03", stay="S01"),  # still in its home
        follow_up("F04", on="2024-02-01"),  # the day of the exit
        follow_up("F05", on="2023-12-31"),
        follow_up("F06", satisfaction=0),
        follow_up("F07", satisfaction=6),
        follow_up("F08", satisfaction="4"),
        follow_up("F09", housed="oui"),
        follow_up("F01"),
        {"ref": "F10", "stay": "S03", "employed": 1},
        follow_up("F11", on="2025-02-30"),
        dict(follow_up("F12"), comment="libre"),
    ]
    errors = import_errors(data)
    assert errors == [
        "follow_ups[5].satisfaction : entier de 1 à 5 attendu (ou null)",
        "follow_ups[6].satisfaction : entier de 1 à 5 attendu (ou null)",
        "follow_ups[7].satisfaction : entier de 1 à 5 attendu (ou null)",
        "follow_ups[8].housed : true, false ou null (non connu) attendu",
        "follow_ups[10].on : champ obligatoire",
        "follow_ups[10].employed : true, false ou null (non connu) attendu",
        "follow_ups[11].on : date inexistante « 2025-02-30 »",
        "follow_ups[12].comment : champ inconnu",
        "follow_ups[1].stay : séjour « S99 » inconnu (ni dans le fichier ni en base)",
        "follow_ups[2].stay : le séjour « S01 » n'est pas terminé : un suivi après la sortie "
        "suit une sortie",
        "follow_ups[3].on : le suivi doit être daté après la sortie (le 01/02/2024)",
        "follow_ups[4].on : le suivi doit être daté après la sortie (le 01/02/2024)",
        "follow_ups[9].ref : référence « F01 » en double (déjà en follow_ups[0])",
    ]


def test_one_error_elsewhere_leaves_valid_follow_ups_unwritten():
    data = rich()
    data["stays"][0]["unit"] = "L99"
    import_errors(data)
    assert FollowUp.objects.count() == 0


def test_a_changed_exit_may_not_leave_a_kept_follow_up_before_it():
    import_exchange(rich())
    data = rich()
    del data["follow_ups"]
    data["stays"][2]["exited_on"] = "2025-01-25"  # after F01 (2025-01-20)
    data["housing_units"][4]["returned_on"] = "2025-01-25"
    before = row_counts()
    errors = import_errors(data)
    assert errors == [
        "stays[2].exited_on : le suivi après la sortie « F01 », daté du 20/01/2025, doit "
        "rester postérieur à la sortie du séjour"
    ]
    assert row_counts() == before


def test_the_follow_ups_of_a_stay_held_elsewhere_are_not_exported(org_b):
    import_exchange(rich())
    exported = export_organisation(Organisation.objects.get(ref="apremis"))
    assert [f["ref"] for f in exported["follow_ups"]] == ["F01"]
    empty = export_organisation(org_b)
    assert empty["follow_ups"] == []

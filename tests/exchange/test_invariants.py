"""The rules of the final state (database merged with the file) are enforced on import."""

import pytest

from seuil.exchange.importer import import_exchange
from seuil.housing.models import Stay
from tests.exchange.conftest import import_errors
from tests.exchange.samples import rich, stay, unit

pytestmark = pytest.mark.django_db


def test_two_stays_of_one_unit_may_not_overlap():
    data = rich()
    data["households"][1]["ref"] = "M02"
    data["stays"][1] = stay("S02", "M02", "L01", "2024-01-01")
    errors = import_errors(data)
    assert errors == [
        "stays[1].unit : le logement « L01 » est déjà occupé sur cette période (séjour « S01 »)"
    ]


def test_a_unit_may_be_entered_on_the_day_the_previous_household_leaves():
    data = rich()
    data["stays"][0]["exited_on"] = "2024-07-01"
    data["stays"][0]["exit_destination"] = "private_landlord"
    data["stays"][1] = stay("S02", "M02", "L01", "2024-07-01")
    import_exchange(data)
    assert Stay.objects.filter(unit__ref="L01").count() == 2


def test_a_household_may_not_be_in_two_stays_at_once():
    data = rich()
    data["stays"][1]["household"] = "M01"
    errors = import_errors(data)
    assert errors == [
        "stays[0].household : le ménage « M01 » est déjà logé sur cette période (séjour « S02 »)"
    ]


def test_a_stay_may_not_begin_before_the_unit_is_captured():
    data = rich()
    del data["support_contracts"]  # its contract would then end beyond the programme's cap
    data["stays"][0]["entered_on"] = "2022-02-28"
    assert import_errors(data) == [
        "stays[0].entered_on : Le logement n'est dans le parc que depuis le 01/03/2022 : "
        "on ne peut y entrer avant."
    ]


def test_a_stay_may_not_go_on_after_the_unit_is_returned():
    data = rich()
    data["stays"][2]["exited_on"] = "2024-02-02"
    errors = import_errors(data)
    assert errors == [
        "stays[2].exited_on : Le logement a été rendu au bailleur le 01/02/2024 : "
        "le séjour doit se terminer au plus tard ce jour-là."
    ]


def test_an_open_stay_in_a_returned_unit_is_refused():
    data = rich()
    data["stays"][2]["exited_on"] = None
    # … and its follow-up after exit no longer follows an exit.
    assert [e.split(" : ")[0] for e in import_errors(data)] == [
        "stays[2].exited_on",
        "follow_ups[0].stay",
    ]


def test_exit_may_not_precede_entry():
    data = rich()
    data["stays"][2]["exited_on"] = "2021-01-31"
    assert import_errors(data) == [
        "stays[2].exited_on : La date de sortie précède la date d'entrée."
    ]


def test_a_member_may_not_leave_before_joining():
    data = rich()
    data["households"][2]["members"][1]["left_on"] = "2022-01-09"
    assert import_errors(data) == [
        "households[2].members[1].left_on : La date de départ du ménage précède la date d'arrivée."
    ]


def test_an_eviction_procedure_may_not_end_before_it_starts():
    data = rich()
    data["eviction_procedures"][1]["ended_on"] = "2022-12-31"
    assert import_errors(data) == [
        "eviction_procedures[1].ended_on : la fin de la procédure précède son début"
    ]


def test_a_unit_may_not_be_returned_before_it_is_captured():
    data = rich()
    data["housing_units"][4]["returned_on"] = "2020-01-01"
    errors = import_errors(data)
    assert errors[0] == (
        "housing_units[4].returned_on : la date de restitution précède la date de captation"
    )


def test_nobody_enters_a_dwelling_split_into_rooms():
    data = rich()
    data["stays"][1]["unit"] = "L02"
    assert import_errors(data) == [
        "stays[1].unit : le logement « L02 » est partagé en chambres (L02-A, L02-B) : on entre "
        "dans une chambre, pas dans le logement entier"
    ]


def test_a_stay_of_the_file_may_not_overlap_a_stay_already_in_the_database(imported_rich):
    data = {
        "format": "seuil-exchange/1",
        "organisation": {"ref": "apremis", "name": "APREMIS – Association d'aide"},
        "households": [{"ref": "M09", "members": []}],
        "stays": [stay("S09", "M09", "L01", "2024-01-01")],
    }
    assert import_errors(data) == [
        "stays[0].unit : le logement « L01 » est déjà occupé sur cette période (séjour « S01 »)"
    ]


def test_a_unit_of_the_file_may_not_be_returned_under_a_stay_of_the_database(imported_rich):
    data = {
        "format": "seuil-exchange/1",
        "organisation": {"ref": "apremis", "name": "APREMIS – Association d'aide"},
        "housing_units": [unit("L01", returned_on="2024-01-01")],
    }
    assert import_errors(data) == [
        "housing_units[0].returned_on : séjour « S01 » : Le logement a été rendu au bailleur "
        "le 01/01/2024 : le séjour doit se terminer au plus tard ce jour-là."
    ]


def test_a_let_dwelling_of_the_database_may_not_be_split_into_rooms(imported_rich):
    data = {
        "format": "seuil-exchange/1",
        "organisation": {"ref": "apremis", "name": "APREMIS – Association d'aide"},
        "housing_units": [unit("L01-A", typology="room", parent="L01")],
    }
    assert import_errors(data) == [
        "housing_units[0].parent : le logement « L01 » est occupé en entier (séjour « S01 ») : "
        "il ne peut être partagé en chambres"
    ]


def test_references_may_point_at_rows_already_in_the_database(imported_rich):
    data = {
        "format": "seuil-exchange/1",
        "organisation": {"ref": "apremis", "name": "APREMIS – Association d'aide"},
        "housing_units": [unit("L04", programme="mobilite", landlord="particulier")],
        "households": [{"ref": "M04", "members": [{"ref": "P01", "role": "other"}]}],
        "stays": [stay("S04", "M04", "L02-B", "2024-01-01")],
        "eviction_procedures": [{"stay": "S03", "started_on": "2023-01-10", "ended_on": None}],
    }
    data["households"][0]["members"][0].update(
        first_name="Aïcha", last_name="N'Diaye", sex="F", birth_date="1988-04-02"
    )
    import_exchange(data)
    assert Stay.objects.get(ref="S04").unit.parent.ref == "L02"

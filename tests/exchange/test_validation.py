"""Every kind of error is reported with its JSON path; all at once; nothing is written."""

import pytest

from seuil.exchange.importer import import_exchange
from tests.exchange.conftest import import_errors, row_counts
from tests.exchange.samples import minimal, rich

pytestmark = pytest.mark.django_db


def _set(path_setter):
    data = rich()
    path_setter(data)
    return data


def _del(container, key):
    container.pop(key)


CASES = [
    # (description, change, expected first line)
    (
        "format inconnu",
        lambda d: d.update(format="seuil-exchange/2"),
        "format : format « seuil-exchange/2 » : « seuil-exchange/1 » attendu",
    ),
    (
        "date inexistante",
        lambda d: d["households"][0]["members"][1].update(birth_date="2023-02-30"),
        "households[0].members[1].birth_date : date inexistante « 2023-02-30 »",
    ),
    (
        "date au format français",
        lambda d: d["households"][0]["members"][1].update(birth_date="30/09/2012"),
        "households[0].members[1].birth_date : date invalide (AAAA-MM-JJ attendu)",
    ),
    (
        "date qui n'est pas du texte",
        lambda d: d["stays"][2].update(exited_on=20240201),
        "stays[2].exited_on : date invalide (AAAA-MM-JJ attendu)",
    ),
    (
        "typologie manquante",
        lambda d: _del(d["housing_units"][0], "typology"),
        "housing_units[0].typology : champ obligatoire",
    ),
    (
        "date de captation vide",
        lambda d: d["housing_units"][1].update(captured_on=""),
        "housing_units[1].captured_on : champ obligatoire",
    ),
    (
        "séjour sans ménage",
        lambda d: d["stays"][1].update(household=None),
        "stays[1].household : champ obligatoire",
    ),
    (
        "séjour sans logement",
        lambda d: _del(d["stays"][0], "unit"),
        "stays[0].unit : champ obligatoire",
    ),
    (
        "séjour sans date d'entrée",
        lambda d: _del(d["stays"][0], "entered_on"),
        "stays[0].entered_on : champ obligatoire",
    ),
    (
        "membre sans rôle",
        lambda d: _del(d["households"][2]["members"][1], "role"),
        "households[2].members[1].role : champ obligatoire",
    ),
    (
        "ménage sans référence",
        lambda d: _del(d["households"][1], "ref"),
        "households[1].ref : champ obligatoire",
    ),
    (
        "organisation sans nom",
        lambda d: _del(d["organisation"], "name"),
        "organisation.name : champ obligatoire",
    ),
    (
        "référence d'organisation invalide",
        lambda d: d["organisation"].update(ref="Association Éléonore"),
        "organisation.ref : référence invalide",
    ),
    (
        "typologie inconnue",
        lambda d: d["housing_units"][0].update(typology="T7"),
        "housing_units[0].typology : code inconnu « T7 » (attendu : room, T1, T2, T3, T4, T5, T6)",
    ),
    (
        "rôle inconnu",
        lambda d: d["households"][0]["members"][0].update(role="chef"),
        "households[0].members[0].role : code inconnu « chef »",
    ),
    (
        "sexe inconnu",
        lambda d: d["households"][0]["members"][0].update(sex="Femme"),
        "households[0].members[0].sex : code inconnu « Femme »",
    ),
    (
        "motif d'arrivée inconnu",
        lambda d: d["households"][0]["members"][2].update(joined_reason="naissance"),
        "households[0].members[2].joined_reason : code inconnu « naissance »",
    ),
    (
        "statut administratif inconnu",
        lambda d: d["households"][0]["members"][0]["legal_status"][1].update(status="bpi"),
        "households[0].members[0].legal_status[1].status : code inconnu « bpi »",
    ),
    (
        "type de ressource inconnu",
        lambda d: d["households"][0]["resources"][1]["types"].append("rmi"),
        "households[0].resources[1].types[3] : code inconnu « rmi »",
    ),
    (
        "liste de ressources vide",
        lambda d: d["households"][0]["resources"][0].update(types=[]),
        "households[0].resources[0].types : liste vide "
        "(indiquer « none » pour « aucune ressource »)",
    ),
    (
        "situation avant l'accueil inconnue",
        lambda d: d["households"][0].update(prior_situation="CADA"),
        "households[0].prior_situation : code inconnu « CADA »",
    ),
    (
        "destination de sortie inconnue",
        lambda d: d["stays"][2].update(exit_destination="hlm"),
        "stays[2].exit_destination : code inconnu « hlm »",
    ),
    (
        "accompagnement inconnu",
        lambda d: d["stays"][0].update(support_intensity="renforcé"),
        "stays[0].support_intensity : code inconnu « renforcé »",
    ),
    (
        "type de dispositif inconnu",
        lambda d: d["programmes"][1].update(kind="IML"),
        "programmes[1].kind : code inconnu « IML »",
    ),
    (
        "type de bailleur inconnu",
        lambda d: d["landlords"][0].update(kind="HLM"),
        "landlords[0].kind : code inconnu « HLM »",
    ),
    (
        "type d'organisation inconnu",
        lambda d: d["organisation"].update(kind="association"),
        "organisation.kind : code inconnu « association »",
    ),
    (
        "loyer en texte",
        lambda d: d["housing_units"][0].update(rent="420,50"),
        "housing_units[0].rent : nombre attendu",
    ),
    (
        "loyer négatif",
        lambda d: d["housing_units"][0].update(rent=-420),
        "housing_units[0].rent : nombre négatif interdit",
    ),
    (
        "surface négative",
        lambda d: d["housing_units"][2].update(surface_m2=-0.5),
        "housing_units[2].surface_m2 : nombre négatif interdit",
    ),
    (
        "charges à trois décimales",
        lambda d: d["housing_units"][0].update(charges=60.125),
        "housing_units[0].charges : deux décimales au plus",
    ),
    (
        "booléen en texte",
        lambda d: d["housing_units"][0].update(accessible="oui"),
        "housing_units[0].accessible : booléen attendu (true ou false)",
    ),
    (
        "référence numérique",
        lambda d: d["households"][0]["members"][0].update(ref=17),
        "households[0].members[0].ref : texte attendu",
    ),
    (
        "commune mal codée",
        lambda d: d["housing_units"][0].update(commune="Amiens"),
        "housing_units[0].commune : code commune INSEE invalide « Amiens »",
    ),
    (
        "liste au mauvais type",
        lambda d: d.update(stays={"S01": {}}),
        "stays : liste attendue",
    ),
    (
        "membre qui n'est pas un objet",
        lambda d: d["households"][1]["members"].append("Gökhan"),
        "households[1].members[1] : objet attendu",
    ),
    (
        "champ inconnu",
        lambda d: d["households"][0]["members"][0].update(birthdate="1988-04-02"),
        "households[0].members[0].birthdate : champ inconnu",
    ),
    (
        "logement en double",
        lambda d: d["housing_units"].append(dict(d["housing_units"][0])),
        "housing_units[5].ref : référence « L01 » en double (déjà en housing_units[0])",
    ),
    (
        "ménage en double",
        lambda d: d["households"][2].update(ref="M01"),
        "households[2].ref : référence « M01 » en double (déjà en households[0])",
    ),
    (
        "dispositif en double",
        lambda d: d["programmes"][1].update(ref="iml-r"),
        "programmes[1].ref : référence « iml-r » en double (déjà en programmes[0])",
    ),
    (
        "personne deux fois dans un ménage",
        lambda d: d["households"][0]["members"][1].update(ref="P01"),
        "households[0].members[1].ref : personne « P01 » déjà membre de ce ménage "
        "(households[0].members[0])",
    ),
    (
        "statut administratif deux fois le même jour",
        lambda d: d["households"][0]["members"][0]["legal_status"][1].update(since="2020-02-10"),
        "households[0].members[0].legal_status[1].since : date en double "
        "(déjà en households[0].members[0].legal_status[0])",
    ),
    (
        "personne décrite différemment dans deux ménages",
        lambda d: d["households"][1]["members"].append(
            {"ref": "P01", "role": "other", "first_name": "Aicha", "last_name": "N'Diaye"}
        ),
        "households[1].members[1].first_name : la personne « P01 » figure aussi en "
        "households[0].members[0] avec une autre valeur",
    ),
    (
        "dispositif inconnu",
        lambda d: d["housing_units"][0].update(programme="asg"),
        "housing_units[0].programme : dispositif « asg » inconnu (ni dans le fichier ni en base)",
    ),
    (
        "secteur inconnu",
        lambda d: d["housing_units"][0].update(sector="somme-sud"),
        "housing_units[0].sector : secteur « somme-sud » inconnu",
    ),
    (
        "bailleur inconnu",
        lambda d: d["housing_units"][0].update(landlord="picardie-habitat"),
        "housing_units[0].landlord : bailleur « picardie-habitat » inconnu",
    ),
    (
        "logement parent inconnu",
        lambda d: d["housing_units"][2].update(parent="L99"),
        "housing_units[2].parent : logement « L99 » inconnu",
    ),
    (
        "chambre d'une chambre",
        lambda d: d["housing_units"].append(
            {"ref": "L02-A-1", "typology": "room", "parent": "L02-A", "captured_on": "2022-03-01"}
        ),
        "housing_units[5].parent : le logement « L02-A » est lui-même une chambre de « L02 »",
    ),
    (
        "ménage inconnu",
        lambda d: d["stays"][0].update(household="M99"),
        "stays[0].household : ménage « M99 » inconnu",
    ),
    (
        "logement du séjour inconnu",
        lambda d: d["stays"][0].update(unit="L99"),
        "stays[0].unit : logement « L99 » inconnu",
    ),
    (
        "dispositif du séjour inconnu",
        lambda d: d["stays"][0].update(programme="pension"),
        "stays[0].programme : dispositif « pension » inconnu",
    ),
    (
        "procédure d'expulsion d'un séjour inconnu",
        lambda d: d["eviction_procedures"][0].update(stay="S99"),
        "eviction_procedures[0].stay : séjour « S99 » inconnu",
    ),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_error_is_reported_with_its_path(change, expected):
    errors = import_errors(_set(change))
    assert any(line.startswith(expected) for line in errors), errors


def test_the_rich_sample_itself_is_valid():
    import_exchange(rich())


def test_several_errors_are_all_reported_and_nothing_is_written():
    data = rich()
    data["households"][3 - 3]["members"][1]["birth_date"] = "2023-02-30"
    data["housing_units"][0]["typology"] = "T9"
    data["stays"][1]["unit"] = "L404"
    data["stays"][2]["exited_on"] = "2020-01-01"
    before = row_counts()
    errors = import_errors(data)
    assert row_counts() == before
    assert [line.split(" : ")[0] for line in errors] == [
        "housing_units[0].typology",
        "households[0].members[1].birth_date",
        "stays[1].unit",
        "stays[2].exited_on",
    ]


def test_errors_leave_an_existing_organisation_untouched(imported_rich):
    before = row_counts()
    data = rich()
    data["organisation"]["name"] = "Nouveau nom"
    data["households"][0]["members"][0]["first_name"] = "Changé"
    data["stays"][0]["entered_on"] = "2023-13-01"
    assert import_errors(data) == [
        "stays[0].entered_on : date inexistante « 2023-13-01 »",
        "organisation.name : l'organisation « apremis » s'appelle « APREMIS – Association "
        "d'aide », pas « Nouveau nom » : pour la renommer, relancer l'import avec l'option "
        "--rename-organisation",
    ]
    assert row_counts() == before
    imported_rich.refresh_from_db()
    assert imported_rich.name == "APREMIS – Association d'aide"


def test_not_an_object_and_missing_organisation():
    assert import_errors([]) == ["le fichier doit contenir un objet JSON ({…}) au premier niveau"]
    data = minimal()
    del data["organisation"]
    assert import_errors(data) == ["organisation : champ obligatoire"]


def test_nan_and_huge_numbers_are_refused():
    data = minimal()
    data["housing_units"][0]["rent"] = float("nan")
    data["housing_units"][0]["surface_m2"] = 10**9
    assert import_errors(data) == [
        "housing_units[0].rent : nombre attendu",
        "housing_units[0].surface_m2 : nombre trop grand (au plus 99999.99)",
    ]


def test_empty_strings_count_as_absent_optional_fields():
    data = minimal()
    data["households"][0]["members"][0].update(sex="", birth_date="", joined_reason="")
    data["housing_units"][0].update(rent="", commune="", returned_on="")
    import_exchange(data)


def test_implausible_dates_and_control_characters_are_refused_with_their_paths(today):
    data = rich()
    head = data["households"][0]["members"][0]
    head.update(first_name="Aïcha\x00", birth_date="9999-12-31", joined_on="1899-12-31")
    head["legal_status"][0]["since"] = "2035-01-01"
    data["households"][0]["resources"][0]["on"] = "0001-01-01"
    data["stays"][0]["entered_on"] = "2026-06-16"
    assert import_errors(data) == [
        "households[0].resources[0].on : date antérieure au 01/01/1900",
        "households[0].members[0].birth_date : date de naissance postérieure à aujourd'hui",
        "households[0].members[0].first_name : caractère de contrôle interdit (U+0000)",
        "households[0].members[0].joined_on : date antérieure au 01/01/1900",
        "households[0].members[0].legal_status[0].since : "
        "date plus d'un an après aujourd'hui (au plus tard le 15/06/2026)",
        "stays[0].entered_on : date plus d'un an après aujourd'hui (au plus tard le 15/06/2026)",
    ]


def test_implausible_unit_and_eviction_dates_are_refused(today):
    data = rich()
    data["housing_units"][4].update(captured_on="0001-01-01", returned_on="2031-01-01")
    data["eviction_procedures"][1].update(started_on="0001-01-01", ended_on="2031-01-01")
    later = "date plus d'un an après aujourd'hui (au plus tard le 15/06/2026)"
    assert import_errors(data) == [
        "housing_units[4].captured_on : date antérieure au 01/01/1900",
        f"housing_units[4].returned_on : {later}",
        "eviction_procedures[1].started_on : date antérieure au 01/01/1900",
        f"eviction_procedures[1].ended_on : {later}",
    ]

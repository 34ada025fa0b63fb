"""Communes chosen by their name: accents, case and « St » ignored, homonyms told apart by
the département, unknown names and codes refused in French."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seuil.core import communes
from seuil.core.forms import CommuneField, CommunesField

CODES = sorted(communes._table()[0])


def test_a_commune_is_found_by_its_name_as_people_write_it():
    assert communes.find("Amiens").code == "80021"
    assert communes.find("  amiens ").code == "80021"
    assert communes.find("ABBEVILLE").code == "80001"
    assert communes.find("St Quentin").code == "02691"
    assert communes.find("saint-quentin").code == "02691"
    assert communes.find("80021").code == "80021"
    assert communes.describe("80021") == "Amiens (80021)"


def test_homonyms_need_the_department_unless_the_organisation_s_settles_it():
    with pytest.raises(communes.UnknownCommune) as refused:
        communes.find("Saint-Sauveur")
    message = str(refused.value)
    assert "Plusieurs communes s'appellent « Saint-Sauveur »" in message
    assert "(départements " in message and "précisez le département" in message
    in_somme = communes.find("Saint-Sauveur (80)")
    assert in_somme.department == "80"
    assert communes.find("Saint-Sauveur", department="80") == in_somme


def test_an_unknown_name_or_code_is_refused_in_french():
    with pytest.raises(communes.UnknownCommune, match="Aucune commune ne s'appelle « Amienz »"):
        communes.find("Amienz")
    with pytest.raises(communes.UnknownCommune, match="« 80999 » n'est le code INSEE d'aucune"):
        communes.find("80999")
    assert communes.describe("80999") == "code 80999 (commune inconnue)"


@settings(max_examples=200, deadline=None)
@given(code=st.sampled_from(CODES))
def test_what_a_page_shows_of_a_commune_finds_it_again(code):
    # A form shows « Nom (code) »; sent back unchanged, it names the same commune, homonyms
    # included.
    assert communes.find(communes.describe(code)).code == code


def test_the_fields_clean_names_to_codes_and_list_every_unknown_line():
    assert CommuneField(required=False).clean("Amiens") == "80021"
    assert CommuneField(required=False).clean("") == ""
    field = CommunesField(required=False, department="80")
    assert field.clean("Amiens\nabbeville\n\nAmiens ; Saint-Sauveur") == [
        "80021",
        "80001",
        communes.find("Saint-Sauveur (80)").code,
    ]
    assert field.prepare_value(["80021", "80001"]) == "Amiens (80021)\nAbbeville (80001)"
    with pytest.raises(Exception) as refused:
        field.clean("Amiens\nAmienz\n99999")
    assert [str(m) for m in refused.value.messages] == [
        "Aucune commune ne s'appelle « Amienz » : vérifiez l'orthographe, ou saisissez son "
        "code INSEE (5 caractères, par exemple 80021 pour Amiens).",
        "« 99999 » n'est le code INSEE d'aucune commune : vérifiez-le, ou saisissez le nom "
        "de la commune.",
    ]

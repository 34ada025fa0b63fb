"""`seuil user add` and `seuil token create|list|revoke`."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from seuil.core.models import User
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "lanterne-violette-2024"


def add_user(*extra, password=PASSWORD, stdin=None):
    out = io.StringIO()
    call_command(
        "user",
        "add",
        "alice",
        "--organisation",
        "asso-a",
        "--role",
        "social_worker",
        *extra,
        stdin=stdin or io.StringIO(password + "\n"),
        stdout=out,
    )
    return out.getvalue()


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_user_add_reads_the_password_on_stdin_and_the_user_can_log_in(org_a):
    output = add_user("--first-name", "Alice", "--last-name", "Martin", "--email", "a@ex.fr")
    assert "Compte « alice » créé (Travailleur·euse social·e, Association A)." in output
    user = User.objects.get(username="alice")
    assert (user.organisation, user.role, user.first_name, user.email) == (
        org_a,
        "social_worker",
        "Alice",
        "a@ex.fr",
    )
    client = Client()
    response = client.post("/connexion/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    # The password is accepted; a new account then sets its second factor up.
    assert client.get("/").url == "/double-authentification/activer/?next=/"


def test_a_weak_password_is_refused_in_french(org_a):
    with pytest.raises(CommandError, match="trop court"):
        add_user(password="court")
    with pytest.raises(CommandError, match="trop courant"):
        add_user(password="password1234")
    assert not User.objects.filter(username="alice").exists()


def test_an_empty_password_is_refused(org_a):
    with pytest.raises(CommandError, match="Le mot de passe est vide."):
        add_user(password="")


def test_an_unknown_organisation_or_role_is_refused_in_french(db):
    with pytest.raises(CommandError) as error:
        call_command(
            "user",
            "add",
            "alice",
            "--organisation",
            "nowhere",
            "--role",
            "king",
            stdin=io.StringIO(PASSWORD + "\n"),
        )
    assert "Organisation inconnue : « nowhere »." in str(error.value)
    assert "Rôle inconnu : « king »." in str(error.value)


def test_an_existing_user_is_refused(org_a):
    UserFactory(username="alice", organisation=org_a)
    with pytest.raises(CommandError, match="L'utilisateur « alice » existe déjà."):
        add_user()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_password_is_asked_twice(org_a, monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    add_user(stdin=Terminal())
    assert User.objects.get(username="alice").check_password(PASSWORD)


def test_on_a_terminal_two_different_passwords_are_refused(org_a, monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="ne correspondent pas"):
        add_user(stdin=Terminal())


def test_a_created_token_authenticates_and_a_revoked_one_no_longer_does(member_a):
    out, err = run("token", "create", member_a.username, "--name", "export-siao")
    key = out.strip()
    assert key.startswith("seuil_") and "\n" not in key
    assert "elle ne sera plus jamais affichée" in err
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/households/").status_code == 200

    listing, _ = run("token", "list", member_a.username)
    prefix = key[6:14]
    assert prefix in listing and "export-siao" in listing and "actif" in listing
    assert key not in listing

    out, _ = run("token", "revoke", prefix)
    assert f"Jeton {prefix} de « {member_a.username} » révoqué" in out
    assert client.get("/api/v1/households/").status_code == 401
    listing, _ = run("token", "list", member_a.username)
    assert "révoqué le" in listing


def test_token_commands_explain_their_errors_in_french(member_a):
    with pytest.raises(CommandError, match="Utilisateur inconnu : « personne »."):
        run("token", "create", "personne")
    with pytest.raises(CommandError, match="Aucun jeton non révoqué ne commence par « zzzzzzzz »."):
        run("token", "revoke", "zzzzzzzz")
    out, _ = run("token", "list", member_a.username)
    assert "Aucun jeton" in out

"""Administration › Utilisateurs: the administrator invites people by e-mail, changes roles,
deactivates and reactivates accounts, resets second factors; every change is in the
history; an organisation never has no active administrator."""

import datetime
import html
import io
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.accounts import administration
from seuil.accounts.invitations import token_of
from seuil.accounts.models import Invitation
from seuil.core.enums import Role
from seuil.core.models import ChangeRecord, User
from tests.accounts.test_two_factor import SETUP, enrol
from tests.conftest import examples
from tests.core.factories import UserFactory
from tests.core.two_factor import totp_device
from tests.notifications.conftest import run_worker

pytestmark = pytest.mark.django_db


def _text(response):
    return html.unescape(response.content.decode())


LIST = "/administration/utilisateurs/"


@pytest.fixture
def admin_a(org_a):
    return UserFactory(
        username="admin-a",
        first_name="Sébastien",
        last_name="Dumont",
        organisation=org_a,
        role=Role.ADMINISTRATOR,
    )


@pytest.fixture
def admin_client(client, admin_a):
    client.force_login(admin_a)
    return client


@pytest.fixture
def worker_a(org_a):
    return UserFactory(
        username="camille",
        first_name="Camille",
        last_name="Dewailly",
        email="camille@asso-a.example",
        organisation=org_a,
        role=Role.SOCIAL_WORKER,
    )


def _url(name, account):
    return reverse(f"users:{name}", kwargs={"uuid": account.uuid})


def _invite(admin_client, captured, **fields):
    data = {
        "first_name": "Inès",
        "last_name": "Marchetti",
        "email": "Ines.Marchetti@asso-a.example",
        "role": Role.SOCIAL_WORKER,
        **fields,
    }
    with captured(execute=True):
        response = admin_client.post(reverse("users:invite"), data)
    return response


def _link_in(message):
    [link] = re.findall(r"https?://\S+/invitation/\S+/", message.get_content())
    return link


# The invitation, end to end ----------------------------------------------------------------


def test_an_invitation_goes_by_email_and_opens_the_account_once_then_asks_a_second_factor(
    admin_client, admin_a, smtp_server, django_capture_on_commit_callbacks, client, settings
):
    settings.SEUIL_BASE_URL = "https://seuil.asso-a.example"
    response = _invite(admin_client, django_capture_on_commit_callbacks)
    invited = User.objects.get(email="Ines.Marchetti@asso-a.example")
    assert response.url == _url("detail", invited)
    assert not invited.is_active and not invited.has_usable_password()
    assert invited.username == "ines.marchetti@asso-a.example"
    assert invited.organisation == admin_a.organisation and invited.role == Role.SOCIAL_WORKER

    run_worker()  # what `seuil db_worker` does
    [message] = smtp_server
    assert message.envelope_recipients == ["Ines.Marchetti@asso-a.example"]
    assert message["Subject"] == "Seuil : votre invitation"
    body = message.get_content()
    assert body.startswith("Bonjour Inès,")
    assert "Sébastien D. vous invite à utiliser Seuil pour Association A" in body
    assert "Dumont" not in body  # the sender's initial only
    assert "Votre identifiant de connexion : ines.marchetti@asso-a.example" in body
    link = _link_in(message)
    assert link.startswith("https://seuil.asso-a.example/invitation/")
    path = link.removeprefix("https://seuil.asso-a.example")

    admin_client.logout()
    page = client.get(path)
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    assert "Activer votre compte Seuil" in _text(page)
    # A password the validators refuse is refused, in French.
    refused = client.post(path, {"new_password1": "123456", "new_password2": "123456"})
    assert "Ce mot de passe est trop court" in _text(refused)
    invited.refresh_from_db()
    assert not invited.is_active

    done = client.post(
        path,
        {
            "new_password1": "une longue phrase de passe",
            "new_password2": "une longue phrase de passe",
        },
    )
    assert done.url == SETUP
    invited.refresh_from_db()
    assert invited.is_active and invited.check_password("une longue phrase de passe")
    # Nothing else opens before the second factor is set up.
    assert client.get("/").url == f"{SETUP}?next=/"
    enrol(client, invited)
    assert client.get("/").status_code == 200

    # The link served once.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "Ce lien d'invitation a déjà servi" in _text(again)

    # The history: the account created and activated, the invitation sent and used; never
    # the password.
    records = ChangeRecord.objects.filter(object_uuid=invited.uuid).order_by("at", "pk")
    assert [r.action for r in records] == ["create", "change"]
    assert records[0].user == admin_a and records[0].changes["role"] == [None, "social_worker"]
    assert records[1].user == invited and records[1].changes == {"is_active": [False, True]}
    invitation = Invitation.objects.get(user=invited)
    assert invitation.emailed_at is not None and invitation.used_at is not None
    assert ChangeRecord.objects.filter(object_uuid=invitation.uuid).count() == 2
    for record in ChangeRecord.objects.all():
        assert "password" not in record.changes and "last_login" not in record.changes


def test_the_link_expires_after_seven_days(
    admin_client, django_capture_on_commit_callbacks, client
):
    start = datetime.datetime(2025, 6, 15, 10, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        _invite(admin_client, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    path = reverse("invitation_accept", kwargs={"token": token_of(invitation)})
    with time_machine.travel(start + datetime.timedelta(days=7, seconds=-1), tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=7), tick=False):
        response = client.get(path)
        assert response.status_code == 410
        assert "Ce lien d'invitation a expiré (il est valable 7 jours)" in _text(response)
        posted = client.post(
            path, {"new_password1": "une longue phrase", "new_password2": "une longue phrase"}
        )
        assert posted.status_code == 410
    assert not User.objects.get(pk=invitation.user_id).is_active


def test_a_made_up_or_altered_link_opens_nothing(
    admin_client, django_capture_on_commit_callbacks, client
):
    _invite(admin_client, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    token = token_of(invitation)
    for forged in (invitation.uuid.hex, token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 300):
        response = client.get(reverse("invitation_accept", kwargs={"token": forged}))
        assert response.status_code == 404, forged
        assert "n'est pas valable" in _text(response)


def test_a_resent_invitation_replaces_the_old_link_and_a_revoked_one_opens_nothing(
    admin_client, django_capture_on_commit_callbacks, client, smtp_server
):
    _invite(admin_client, django_capture_on_commit_callbacks)
    run_worker()
    invited = User.objects.get(email__iexact="ines.marchetti@asso-a.example")
    first = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_url("resend_invitation", invited))
    assert response.url == _url("detail", invited)
    run_worker()
    assert len(smtp_server) == 2  # the first e-mail, then the new one
    second = Invitation.objects.exclude(pk=first.pk).get()
    assert _link_in(smtp_server[1]).endswith(
        reverse("invitation_accept", kwargs={"token": token_of(second)})
    )
    old = client.get(reverse("invitation_accept", kwargs={"token": token_of(first)}))
    assert old.status_code == 410 and "remplacée par une plus récente" in _text(old)
    assert (
        client.get(reverse("invitation_accept", kwargs={"token": token_of(second)})).status_code
        == 200
    )

    admin_client.post(_url("revoke_invitation", invited))
    revoked = client.get(reverse("invitation_accept", kwargs={"token": token_of(second)}))
    assert revoked.status_code == 410
    detail = _text(admin_client.get(_url("detail", invited)))
    assert "Invitation expirée ou annulée" in detail and "Annulée le" in detail


def test_an_address_already_used_is_refused(
    admin_client, worker_a, django_capture_on_commit_callbacks
):
    response = _invite(
        admin_client, django_capture_on_commit_callbacks, email="CAMILLE@asso-a.example"
    )
    assert response.status_code == 200
    assert "Un compte utilise déjà cette adresse électronique" in _text(response)
    assert User.objects.count() == 2 and not Invitation.objects.exists()


# The list and the changes --------------------------------------------------------------------


def test_the_list_shows_role_state_second_factor_and_last_login(admin_client, admin_a, worker_a):
    worker_a.last_login = datetime.datetime(2025, 6, 10, 8, 30, tzinfo=datetime.UTC)
    worker_a.save()
    totp_device(worker_a)
    page = _text(admin_client.get(LIST))
    assert "Utilisateurs d'Association A" in page
    row = re.search(r"Camille Dewailly.*?</tr>", page, re.S).group(0)
    assert "Travailleur·euse social·e" in row and "Actif" in row and "Activée" in row
    assert "10/06/2025 à 10:30" in row
    assert "Inviter une personne" in page


def test_a_role_change_a_deactivation_and_a_reactivation_are_in_the_history(
    admin_client, admin_a, worker_a
):
    response = admin_client.post(_url("role", worker_a), {"role": Role.SERVICE_MANAGER})
    assert response.url == _url("detail", worker_a)
    worker_a.refresh_from_db()
    assert worker_a.role == Role.SERVICE_MANAGER

    # The confirmation page first; the change by POST only.
    assert "Désactiver le compte de Camille Dewailly" in _text(
        admin_client.get(_url("deactivate", worker_a))
    )
    worker_a.refresh_from_db()
    assert worker_a.is_active
    admin_client.post(_url("deactivate", worker_a))
    worker_a.refresh_from_db()
    assert not worker_a.is_active
    admin_client.post(_url("reactivate", worker_a))
    worker_a.refresh_from_db()
    assert worker_a.is_active

    changes = [
        r.changes
        for r in ChangeRecord.objects.filter(object_uuid=worker_a.uuid).order_by("at", "pk")
    ]
    assert changes == [
        {"role": ["social_worker", "service_manager"]},
        {"is_active": [True, False]},
        {"is_active": [False, True]},
    ]
    assert all(
        r.user == admin_a and r.role == Role.ADMINISTRATOR
        for r in ChangeRecord.objects.filter(object_uuid=worker_a.uuid)
    )
    detail = _text(admin_client.get(_url("detail", worker_a)))
    assert "Historique du compte" in detail and "Responsable de service" in detail


def test_a_deactivated_account_is_signed_out_at_once(admin_client, worker_a):
    client = Client()
    client.force_login(worker_a)
    assert client.get("/").status_code == 200
    admin_client.post(_url("deactivate", worker_a))
    assert client.get("/").url.startswith(reverse("login"))


def test_resetting_the_second_factor_asks_for_a_new_one_at_the_next_page(
    admin_client, admin_a, worker_a
):
    client = Client()
    client.force_login(worker_a)  # with a verified application
    assert client.get("/").status_code == 200
    admin_client.post(_url("reset_second_factor", worker_a))
    assert not TOTPDevice.objects.filter(user=worker_a).exists()
    assert client.get("/").url.startswith(SETUP)
    [record] = ChangeRecord.objects.filter(object_uuid=worker_a.uuid)
    assert record.user == admin_a
    assert record.changes == {"double_authentification": ["activée", "à réactiver"]}


def test_the_last_active_administrator_can_be_neither_demoted_nor_deactivated(
    admin_client, admin_a
):
    demoted = admin_client.post(_url("role", admin_a), {"role": Role.SOCIAL_WORKER})
    assert demoted.status_code == 200
    assert "dernier compte administrateur actif de l'organisation" in _text(demoted)
    deactivated = admin_client.post(_url("deactivate", admin_a))
    assert "Vous ne pouvez pas désactiver votre propre compte" in _text(deactivated)
    with pytest.raises(ValidationError, match="dernier compte administrateur actif"):
        administration.deactivate(admin_a, by=None)
    admin_a.refresh_from_db()
    assert admin_a.is_active and admin_a.role == Role.ADMINISTRATOR
    assert not ChangeRecord.objects.exists()
    # With a second administrator, the first may step down.
    UserFactory(organisation=admin_a.organisation, role=Role.ADMINISTRATOR)
    admin_client.post(_url("role", admin_a), {"role": Role.SERVICE_MANAGER})
    admin_a.refresh_from_db()
    assert admin_a.role == Role.SERVICE_MANAGER


def test_the_command_follows_the_same_rule(admin_a, worker_a):
    with pytest.raises(CommandError, match="dernier compte administrateur actif"):
        call_command("user", "deactivate", "admin-a", stdout=io.StringIO())
    with pytest.raises(CommandError, match="dernier compte administrateur actif"):
        call_command("user", "role", "admin-a", "social_worker", stdout=io.StringIO())
    out = io.StringIO()
    call_command("user", "role", "camille", "administrator", stdout=out)
    assert "« camille » a maintenant le rôle « Administrateur·rice »" in out.getvalue()
    call_command("user", "deactivate", "admin-a", stdout=io.StringIO())
    admin_a.refresh_from_db()
    assert not admin_a.is_active
    [record] = ChangeRecord.objects.filter(object_uuid=admin_a.uuid)
    assert record.user is None and record.changes == {"is_active": [True, False]}


ACCOUNTS = 4
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["role", "deactivate", "reactivate"]),
        st.integers(0, ACCOUNTS - 1),
        st.sampled_from([Role.ADMINISTRATOR, Role.SOCIAL_WORKER, Role.SERVICE_MANAGER]),
    ),
    max_size=12,
)


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    operations=OPERATIONS, first_roles=st.lists(st.booleans(), min_size=ACCOUNTS, max_size=ACCOUNTS)
)
def test_whatever_the_changes_an_organisation_keeps_an_active_administrator(
    org_a, operations, first_roles
):
    from django.db import transaction

    with transaction.atomic():
        accounts = [
            UserFactory(
                organisation=org_a,
                role=Role.ADMINISTRATOR if (i == 0 or admin) else Role.SOCIAL_WORKER,
            )
            for i, admin in enumerate(first_roles)
        ]
        model = {a.pk: [a.role, True] for a in accounts}
        for operation, index, role in operations:
            account = accounts[index]
            role_now, active_now = model[account.pk]
            after = {
                "role": [role, active_now],
                "deactivate": [role_now, False],
                "reactivate": [role_now, True],
            }[operation]
            trial = {**model, account.pk: after}
            leaves_one = any(r == Role.ADMINISTRATOR and active for r, active in trial.values())
            try:
                if operation == "role":
                    administration.change_role(account, role, by=None)
                else:
                    getattr(administration, operation)(account, by=None)
            except Exception as error:  # noqa: BLE001 (any refusal is checked below)
                assert "dernier compte administrateur actif" in " ".join(error.messages)
                assert not leaves_one, (operation, model, account.pk)
            else:
                assert leaves_one, (operation, model, account.pk)
                model = trial
            stored = User.objects.filter(organisation=org_a)
            assert stored.filter(role=Role.ADMINISTRATOR, is_active=True).exists()
            assert {u.pk: [u.role, u.is_active] for u in stored} == model
        transaction.set_rollback(True)


# Who may do what ---------------------------------------------------------------------------


def test_another_organisations_administrator_finds_nothing(client, worker_a, org_b):
    client.force_login(UserFactory(organisation=org_b, role=Role.ADMINISTRATOR))
    assert "Dewailly" not in _text(client.get(LIST))
    for name in ("detail", "role", "deactivate", "reset_second_factor", "resend_invitation"):
        assert client.get(_url(name, worker_a)).status_code == 404, name
        assert client.post(_url(name, worker_a), {"role": Role.ADMINISTRATOR}).status_code == 404
    worker_a.refresh_from_db()
    assert worker_a.is_active and worker_a.role == Role.SOCIAL_WORKER


def test_other_roles_are_refused_and_the_service_manager_only_reads(client, worker_a, org_a):
    client.force_login(UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER))
    assert client.get(LIST).status_code == 403
    assert client.get(_url("detail", worker_a)).status_code == 403

    client.force_login(UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER))
    listing = client.get(LIST)
    assert listing.status_code == 200 and "Camille Dewailly" in _text(listing)
    assert "Inviter une personne" not in _text(listing)
    assert "Changer le rôle" not in _text(client.get(_url("detail", worker_a)))
    assert client.get(reverse("users:invite")).status_code == 403
    assert client.post(_url("role", worker_a), {"role": Role.ADMINISTRATOR}).status_code == 403
    assert client.post(_url("deactivate", worker_a)).status_code == 403
    worker_a.refresh_from_db()
    assert worker_a.is_active and worker_a.role == Role.SOCIAL_WORKER


def test_the_users_link_is_in_the_header_for_those_who_see_them(admin_client, worker_a):
    assert f'href="{LIST}"' in _text(admin_client.get("/"))
    client = Client()
    client.force_login(worker_a)
    assert f'href="{LIST}"' not in _text(client.get("/"))

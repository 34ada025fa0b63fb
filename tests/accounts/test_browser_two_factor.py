"""In a real browser: a new account logs in, sets up its authenticator application from the
key shown on the page, keeps its recovery codes, logs out, then logs in with a recovery code."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from tests.core.factories import OrganisationFactory, UserFactory

PASSWORD = "motdepasse-solide-42"


def field(page, label):
    """The form control whose label starts with `label` (labels end with "(obligatoire)")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)"))


def log_in(page, username):
    page.goto("/connexion/")
    field(page, "Nom d’utilisateur").fill(username)
    field(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_new_account_sets_up_two_factor_then_logs_in_with_a_recovery_code(page):
    user = UserFactory(username="samia", organisation=OrganisationFactory(name="Association 2FA"))
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    log_in(page, "samia")
    page.wait_for_url(re.compile(r"/double-authentification/activer/\?next=/$"))
    page.get_by_role("heading", name="Activer la double authentification").wait_for()
    qr = page.get_by_role("img", name=re.compile("QR code"))
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    page.screenshot(path="test-results/double-authentification.png", full_page=True)
    secret = page.locator("#cle-totp").inner_text().replace(" ", "")
    code = f"{totp(base64.b32decode(secret)):06d}"
    field(page, "Code à 6 chiffres").fill(code)
    page.get_by_role("button", name="Activer la double authentification").click()

    page.get_by_role("heading", name="Vos codes de secours").wait_for()
    assert page.get_by_text("Conservez ces codes en lieu sûr").is_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.screenshot(path="test-results/codes-de-secours.png", full_page=True)
    page.get_by_role("link", name="J'ai conservé mes codes, continuer").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name="Mon compte").click()
    assert page.get_by_text("Activée depuis le").is_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/connexion/"))

    log_in(page, "samia")
    page.wait_for_url(re.compile(r"/double-authentification/\?next=/$"))
    assert page.get_by_role("navigation", name="Navigation principale").count() == 0
    field(page, "Code de secours").fill(codes[0])
    page.get_by_role("button", name="Utiliser ce code de secours").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("il vous en reste 9").is_visible()
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert csp_errors == []

"""Second factor in tests: verified forced logins, TOTP devices and their current codes."""

import re

from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

# Django's own force_login, taken before the autouse fixture of tests/conftest.py wraps it:
# a session opened with it has given its password only.
password_only_login = ClientMixin.force_login


def totp_device(user):
    """The user's confirmed authenticator application (created when there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Tests", confirmed=True)


def current_code(device_or_key):
    """The 6-digit code an application shows now, for a device or a hex key."""
    key = device_or_key.bin_key if isinstance(device_or_key, TOTPDevice) else device_or_key
    return f"{totp(key):06d}"


def verified_force_login(client, user, backend=None):
    """`client.force_login(user)` as after a full login: password and second factor given."""
    password_only_login(client, user, backend)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()


def give_code(page, device):
    """In a browser on the second-factor step: type the current code of `device`."""
    page.get_by_label(re.compile(r"^Code à 6 chiffres")).fill(current_code(device))
    page.get_by_role("button", name="Vérifier").click()

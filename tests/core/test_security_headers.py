"""CSP and security headers on the pages; production settings pass `check --deploy`."""

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

import seuil

pytestmark = pytest.mark.django_db

SRC = Path(seuil.__file__).resolve().parent
EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def parse_csp(header):
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


@pytest.mark.parametrize("url", ["/accessibilite/", "/"])
def test_pages_carry_a_strict_csp_and_security_headers(client_a, url):
    response = client_a.get(url)
    assert response.status_code == 200
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_htmx_is_a_static_src_script(client):
    html = client.get("/connexion/").content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html, re.IGNORECASE)
    assert scripts, "the htmx script is expected on every page"
    assert all(re.search(r"\bsrc=\"/static/", tag) for tag in scripts), scripts
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html)
    assert not re.search(r"\son[a-z]+=", html), "inline event handlers break the CSP"


def template_files():
    return sorted(path for path in SRC.rglob("templates/**/*.html"))


def test_no_template_has_an_inline_script_or_event_handler():
    assert template_files()
    offenders = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text, re.IGNORECASE):
            if "src=" not in tag:
                offenders.append(f"{path.relative_to(SRC)}: {tag}")
        if re.search(r"\son(click|load|submit|change|input|error)\s*=", text, re.IGNORECASE):
            offenders.append(f"{path.relative_to(SRC)}: inline event handler")
        if "javascript:" in text:
            offenders.append(f"{path.relative_to(SRC)}: javascript: URL")
    assert offenders == []


def test_no_app_page_template_has_inline_style():
    """Only the downloadable report document (an attachment, see below) has a <style>."""
    downloaded = {SRC / "reports/templates/reports/document.html"}
    offenders = [
        str(path.relative_to(SRC))
        for path in template_files()
        if path not in downloaded
        and (
            re.search(r"<style\b", path.read_text(encoding="utf-8"))
            or " style=" in path.read_text(encoding="utf-8")
        )
    ]
    assert offenders == []


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "SEUIL_HTTPS", "ALLOWED_HOSTS", "SEUIL_ENV"}
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50)[:50],
        SEUIL_ENCRYPTION_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        DEBUG="0",
        SEUIL_HTTPS="1",
        ALLOWED_HOSTS="seuil.example.org",
        DJANGO_SETTINGS_MODULE="seuil.settings",
    )
    env.update(extra)
    return env


def run_django(code, env, tmp_path):
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "SEUIL_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_production_environment(tmp_path):
    result = run_django(
        "from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        production_env(),
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_secure(tmp_path):
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_PROXY_SSL_HEADER)",
        production_env(),
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "True True True 31536000 True False ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_production_refuses_the_development_secret_key(tmp_path):
    env = production_env()
    del env["SECRET_KEY"]
    result = run_django("pass", env, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_html_report_download_is_an_attachment(client_a):
    """The HTML report's <style> needs no CSP relaxation: it is downloaded, not shown."""
    period = {"preset": "personnalisee", "start": "2024-01-01", "end": "2024-12-31"}
    response = client_a.get(reverse("reports:download"), {**period, "format": "html"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Disposition"].startswith("attachment;")

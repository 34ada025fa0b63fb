"""Which environment an instance runs in, read from the environment variables before the
settings exist: the settings (`PRODUCTION`) and the `seuil` command read it. Plain module
(no Django import).

``SEUIL_ENV`` names the environment:

- ``production``: the production refusals apply (a secret key of its own, two-factor
  authentication, encryption keys), and ``DEBUG`` is refused;
- ``demo`` or ``test``: a throwaway instance (the demo, the tests, the benchmarks, a
  public demonstration site), without those refusals, even with ``DEBUG`` off;
- unset: production as soon as ``DEBUG`` is off. Production is never reached by mistake
  the other way round: forgetting every variable gives production and its refusals.

`seuil demo` runs in the ``demo`` environment (`demo_environment`) unless the environment
says otherwise: an explicit ``SEUIL_ENV``, or the signs of an installation (a
``SECRET_KEY`` of its own, ``SEUIL_HTTPS=1``), which keep production and its refusal of
the demo.
"""

PRODUCTION = "production"
DEMO = "demo"
TEST = "test"
ENVIRONMENTS = (PRODUCTION, DEMO, TEST)

TRUE_VALUES = frozenset({"1", "true", "yes", "on"})

# What production means, in the French messages that refuse something there.
IN_PRODUCTION = (
    "en production (SEUIL_ENV=production, ou DEBUG désactivé sans SEUIL_ENV=demo ou test)"
)


class UnknownEnvironment(ValueError):
    """SEUIL_ENV names no environment (French message for the operator)."""


def env_flag(environ, name, default=False):
    """The boolean variable `name` of `environ`: "1", "true", "yes" or "on" (any case)."""
    value = environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE_VALUES


def seuil_env(environ):
    """The environment `SEUIL_ENV` names ("" when unset); `UnknownEnvironment` otherwise."""
    value = (environ.get("SEUIL_ENV") or "").strip().lower()
    if value and value not in ENVIRONMENTS:
        raise UnknownEnvironment(
            f"SEUIL_ENV={value!r} : valeur inconnue. Valeurs possibles : "
            f"{', '.join(ENVIRONMENTS)} (ou rien : production dès que DEBUG est désactivé)."
        )
    return value


def runs_in_production(environ):
    """Production: SEUIL_ENV=production, or DEBUG off without SEUIL_ENV."""
    environment = seuil_env(environ)
    return environment == PRODUCTION or (not environment and not env_flag(environ, "DEBUG"))


def demo_environment(argv, environ):
    """Put `seuil demo` in the demo environment (SEUIL_ENV=demo in `environ`, which its
    server inherits), unless SEUIL_ENV is set or the environment is an installation's."""
    if argv[1:2] != ["demo"] or environ.get("SEUIL_ENV"):
        return
    if environ.get("SECRET_KEY") or env_flag(environ, "SEUIL_HTTPS"):
        return  # production then refuses the demo (`seuil.demo.guard`)
    environ["SEUIL_ENV"] = DEMO

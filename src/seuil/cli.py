"""The `seuil` command: Django's manage.py with Seuil's settings.

`seuil demo` runs in the demo environment (SEUIL_ENV=demo) unless the environment says
otherwise (`seuil.core.environment.demo_environment`); every other command runs in the
environment it is given: production as soon as DEBUG is off and SEUIL_ENV is unset."""

import os
import sys

from seuil.core.environment import demo_environment


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seuil.settings")
    demo_environment(sys.argv, os.environ)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""`seuil demo`: migrate, load the demo once, print the logins, serve on 127.0.0.1.

Refused, before anything is written, on a database holding an organisation the demo did not
create, and in production (`seuil.demo.guard`)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from seuil.accounts import twofactor
from seuil.demo.guard import DemoRefused, check_demo_database
from seuil.demo.load import load_demo
from seuil.demo.organisations import demo_logins, format_logins


class Command(BaseCommand):
    help = (
        "Prépare la base, charge la démonstration (une seule fois), affiche les identifiants "
        "de connexion puis lance Seuil sur http://127.0.0.1:<port>."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="S'arrêter après l'affichage des identifiants, sans lancer le serveur.",
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port du serveur (8000 par défaut)."
        )

    def handle(self, *args, no_serve=False, port=8000, **options):
        try:
            check_demo_database()
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from None
        call_command("migrate", verbosity=0, interactive=False)
        counts = load_demo()
        if counts is None:
            self.stdout.write("La démonstration est déjà chargée : rien n'a été ajouté.")
        else:
            self.stdout.write(
                "Démonstration chargée : {units} logements, {households} ménages, "
                "{persons} personnes, {stays} séjours ({present} ménages logés aujourd'hui, "
                "{vacant} logements vacants).".format(**counts)
            )
        self.stdout.write("\nIdentifiants de démonstration (un par rôle) :\n")
        self.stdout.write(format_logins(demo_logins()))
        self.stdout.write("")
        if no_serve:
            return
        try:
            # The demo's server only: the demo users log in with their password alone.
            twofactor.disable_for_demo()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            "Double authentification désactivée pour cette démonstration (un bandeau le "
            "rappelle sur chaque page)."
        )
        self.stdout.write(f"Seuil est prêt : http://127.0.0.1:{port}")
        self.stdout.flush()
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

"""`seuil export_person --person UUID --format json|pdf --output FICHIER`: right of access."""

import uuid

from django.core.management.base import BaseCommand, CommandError

from seuil.core.private_files import open_private
from seuil.households.models import Person
from seuil.privacy import subject_access


class Command(BaseCommand):
    help = (
        "Exporter tout ce que Seuil détient sur une personne (droit d'accès, RGPD article 15), "
        "en JSON ou en PDF. L'export est enregistré dans le journal des accès."
    )

    def add_arguments(self, parser):
        parser.add_argument("--person", required=True, help="Identifiant (UUID) de la personne.")
        parser.add_argument("--format", dest="fmt", choices=subject_access.FORMATS, default="json")
        parser.add_argument("--output", "-o", required=True, help="Fichier à écrire.")

    def handle(self, *args, person, fmt, output, **options):
        try:
            person = Person.objects.select_related("organisation").get(uuid=uuid.UUID(person))
        except (ValueError, Person.DoesNotExist):
            raise CommandError(f"Aucune personne n'a l'identifiant « {person} ».") from None
        content, _content_type, _name = subject_access.export_person(person, fmt)
        try:
            with open_private(output, "wb") as stream:
                stream.write(content)
        except OSError as error:
            raise CommandError(f"Impossible d'écrire « {output} » : {error.strerror}.") from None
        self.stdout.write(f"Export du droit d'accès écrit dans {output} ({fmt.upper()}).")

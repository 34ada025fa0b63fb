"""`seuil rotate_encryption_key [--drop-old] [--reencrypt-only]`: a new encryption key."""

from django.core.management.base import BaseCommand, CommandError

from seuil.core.crypto import (
    KEYS_SETTING,
    DecryptionError,
    EncryptionKeyError,
    rotate_encryption_key,
)
from seuil.core.wording import plural


class Command(BaseCommand):
    help = (
        "Générer une nouvelle clé de chiffrement, la mettre en tête des clés et rechiffrer "
        "avec elle tous les textes et documents chiffrés (en une seule transaction). Arrêtez "
        "Seuil pendant la rotation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--drop-old",
            action="store_true",
            help="Une fois tout rechiffré, ne garder que la nouvelle clé (les sauvegardes "
            "faites avant ne seront plus lisibles sans les anciennes clés).",
        )
        parser.add_argument(
            "--reencrypt-only",
            action="store_true",
            help="Ne pas générer de clé : rechiffrer avec la première clé actuelle (après "
            f"avoir ajouté vous-même une clé en tête de {KEYS_SETTING}).",
        )

    def handle(self, *args, drop_old=False, reencrypt_only=False, **options):
        def progress(model, field, count):
            if field is None:  # a model's attached documents
                self.stdout.write(
                    f"  {model._meta.verbose_name_plural} : "
                    f"{plural(count, 'document rechiffré,documents rechiffrés')}"
                )
                return
            self.stdout.write(
                f"  {model._meta.verbose_name} · {field.verbose_name} : "
                f"{plural(count, 'texte rechiffré,textes rechiffrés')}"
            )

        self.stdout.write("Rechiffrement de tous les textes chiffrés…")
        try:
            source, keys, count = rotate_encryption_key(
                drop_old=drop_old, reencrypt_only=reencrypt_only, progress=progress
            )
        except (DecryptionError, EncryptionKeyError) as error:
            raise CommandError(f"{error} Rien n'a été rechiffré.") from None
        done = plural(count, "texte ou document rechiffré,textes ou documents rechiffrés")
        self.stdout.write(f"Terminé : {done}.")
        if source == "file":
            kept = "seule la nouvelle clé est gardée" if drop_old else "les anciennes sont gardées"
            self.stdout.write(
                f"Le fichier encryption.keys de SEUIL_DATA_DIR a été mis à jour : "
                f"{plural(len(keys), 'clé')}, la nouvelle en premier ; {kept}."
            )
            return
        self.stdout.write(
            self.style.WARNING(
                f"Les clés viennent de l'environnement : remplacez MAINTENANT la valeur de "
                f"{KEYS_SETTING} par la ligne ci-dessous, puis redémarrez Seuil. Sans elle, "
                "les textes rechiffrés sont illisibles."
            )
        )
        self.stdout.write(f"{KEYS_SETTING}={','.join(keys)}")

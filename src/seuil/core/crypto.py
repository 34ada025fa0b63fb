"""Encryption of the most sensitive free text (clinical notes, violence and health details).

A field declared `EncryptedTextField` is stored as a Fernet token (AES-128-CBC + HMAC-SHA256,
`cryptography`'s `MultiFernet`) made with keys kept apart from `SECRET_KEY`, so that a copy
of the database (or of a backup) alone does not reveal these texts.

Keys, newest first (the first one encrypts, every one decrypts):

- the environment variable ``SEUIL_ENCRYPTION_KEYS`` (Fernet keys separated by commas), or
  else
- the file ``encryption.keys`` in ``SEUIL_DATA_DIR`` (one key a line), created with mode
  0600 on first use **outside production only**; in production (``settings.PRODUCTION``:
  ``SEUIL_ENV=production``, or ``DEBUG`` off without ``SEUIL_ENV=demo`` or ``test``) Seuil
  refuses to start without keys (see `settings`).

`seuil rotate_encryption_key` puts a new key first and re-encrypts every such field, and
every attached document (`core.documents`, whose files are encrypted with the same keys).

An encrypted column can never be searched, filtered, ordered or made unique: the same text
gives a different token each time. Lookups on it are refused (`FieldError`), except
``isnull``. Empty text is stored empty (that a note is empty is not a secret).

Serialisation (`dumpdata`, `seuil backup`) writes ``fernet:<token>``, never the clear text;
deserialisation (`loaddata`, `seuil restore`) decrypts it again with the keys of the
database it is loaded into, and refuses, with a clear message, a token they cannot read.
"""

import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.signals import setting_changed
from django.db import models, transaction
from django.db.models.functions import Cast

from .environment import IN_PRODUCTION

KEYS_SETTING = "SEUIL_ENCRYPTION_KEYS"
KEY_FILE_NAME = "encryption.keys"
# Marks a token in serialised data (backups), so that loading tells it from clear text.
SERIALISED_PREFIX = "fernet:"

MISSING_KEYS_MESSAGE = (
    f"Aucune clé de chiffrement : {IN_PRODUCTION}, Seuil "
    "refuse de démarrer sans SEUIL_ENCRYPTION_KEYS (ou sans fichier encryption.keys dans "
    "SEUIL_DATA_DIR). Générez une clé avec : "
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" '
    "/ No encryption key: in production Seuil refuses to start without "
    "SEUIL_ENCRYPTION_KEYS (or an encryption.keys file in SEUIL_DATA_DIR)."
)


class EncryptionKeyError(ImproperlyConfigured):
    """The encryption keys are missing or malformed (French message for the operator)."""


class DecryptionError(Exception):
    """A stored token that none of the configured keys can read."""

    def __init__(self, message=None):
        super().__init__(
            message
            or "Impossible de déchiffrer un texte protégé : aucune des clés de chiffrement "
            "configurées (SEUIL_ENCRYPTION_KEYS ou fichier encryption.keys) ne correspond à "
            "celle qui l'a chiffré. Vérifiez que la clé utilisée avant la dernière rotation "
            "figure encore dans la liste. / Cannot decrypt a protected text: none of the "
            "configured encryption keys matches."
        )


def key_file_path():
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


def keys_from_environment():
    """The keys of `SEUIL_ENCRYPTION_KEYS` (a setting read from the environment), or []."""
    value = getattr(settings, KEYS_SETTING, "") or ""
    return [key.strip() for key in value.split(",") if key.strip()]


def read_key_file(path):
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


KEY_FILE_HEADER = (
    "# Clés de chiffrement de Seuil, la plus récente en premier. Ne jamais publier ni\n"
    "# perdre : sans elles, les notes chiffrées sont illisibles, sauvegardes comprises.\n"
)


def write_key_file(path, keys):
    """Write `keys` to the key file atomically, readable by its owner only (0600)."""
    path = Path(path)
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=".encryption-keys-")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(KEY_FILE_HEADER + "".join(f"{key}\n" for key in keys))
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _create_key_file(path):
    """Create the key file with one new key, unless another process just did."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=".encryption-keys-")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(KEY_FILE_HEADER + Fernet.generate_key().decode() + "\n")
        os.link(partial, path)  # atomic, and refused when the file exists already
    except FileExistsError:
        pass
    finally:
        os.remove(partial)


def key_source():
    """Where the keys come from: "environment" or "file"."""
    return "environment" if keys_from_environment() else "file"


def configured_keys():
    """The keys, newest first; creates the key file outside production when there is none."""
    keys = keys_from_environment()
    if not keys:
        path = key_file_path()
        if not path.exists():
            if settings.PRODUCTION:
                raise EncryptionKeyError(MISSING_KEYS_MESSAGE)
            _create_key_file(path)
        keys = read_key_file(path)
    if not keys:
        raise EncryptionKeyError(
            f"Le fichier de clés de chiffrement {KEY_FILE_NAME} ne contient aucune clé."
        )
    return keys


def fernet_for(keys):
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise EncryptionKeyError(
            "Une clé de chiffrement est mal formée : chaque clé est une clé Fernet de 44 "
            "caractères (base64 URL). / A malformed encryption key."
        ) from None


_cache = {}


def current_fernet():
    if "fernet" not in _cache:
        _cache["fernet"] = fernet_for(configured_keys())
    return _cache["fernet"]


def reset_keys(**kwargs):
    """Forget the keys read so far (after a rotation, or a change of settings in tests)."""
    _cache.clear()


def _on_setting_changed(*, setting, **kwargs):
    if setting in (KEYS_SETTING, "DATA_DIR", "PRODUCTION"):
        reset_keys()


setting_changed.connect(_on_setting_changed)


def encrypt(text):
    return current_fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token):
    """The clear text of `token`; re-reads the keys once (a rotation may have added one)."""
    try:
        return current_fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        reset_keys()
    try:
        return current_fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise DecryptionError() from None


class EncryptedTextField(models.TextField):
    """Free text stored encrypted (see the module's docstring). Never filtered on."""

    encrypted = True
    description = "Texte chiffré"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(SERIALISED_PREFIX):
            try:
                return decrypt(value.removeprefix(SERIALISED_PREFIX))
            except DecryptionError as error:
                raise ValidationError(str(error), code="undecryptable") from None
        return super().to_python(value)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        if not value:
            return value
        return SERIALISED_PREFIX + encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"« {self.name} » est chiffré : on ne peut ni y chercher ni filtrer dessus "
            f"(recherche « {lookup_name} » refusée)."
        )

    def get_transform(self, lookup_name):
        raise FieldError(f"« {self.name} » est chiffré : aucune transformation possible.")


def encrypted_fields():
    """(model, field) for every `EncryptedTextField` of every installed model."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.concrete_fields
        if getattr(field, "encrypted", False)
    ]


# ---- key rotation ------------------------------------------------------------------------

ROTATION_BATCH = 1000


def _reencrypt_field(model, field, fernet):
    """Re-encrypt one column with `fernet`'s first key (`MultiFernet.rotate`), by batches
    of primary keys. Tokens are read and written as they are stored (a cast to plain text
    skips the decryption), never as clear text."""
    rows = (
        model._base_manager.annotate(stored=Cast(field.name, models.TextField()))
        .exclude(stored__isnull=True)
        .exclude(stored="")
        .order_by("pk")
    )
    done, last = 0, None
    while True:
        batch = rows if last is None else rows.filter(pk__gt=last)
        batch = list(batch.values_list("pk", "stored")[:ROTATION_BATCH])
        if not batch:
            return done
        try:
            tokens = {
                key: fernet.rotate(token.encode("ascii")).decode("ascii") for key, token in batch
            }
        except InvalidToken:
            raise DecryptionError() from None
        as_stored = models.Case(
            *[models.When(pk=key, then=models.Value(token)) for key, token in tokens.items()],
            output_field=models.TextField(),
        )
        model._base_manager.filter(pk__in=tokens).update(**{field.name: as_stored})
        done += len(tokens)
        last = batch[-1][0]


def reencrypt_everything(fernet, progress=None):
    """Re-encrypt every `EncryptedTextField` of every model, and every attached document
    (`core.documents`), with `fernet`'s first key, in one transaction (all or nothing: the
    documents' new copies are deleted again if it fails, their old copies once it commits).
    `progress(model, field, count)` after each column (`field` None: a model's documents).
    Returns the number of texts and documents re-encrypted."""
    from .documents import reencrypt_documents, storage

    total, written = 0, []
    try:
        with transaction.atomic():
            for model, field in encrypted_fields():
                count = _reencrypt_field(model, field, fernet)
                total += count
                if progress:
                    progress(model, field, count)
            total += reencrypt_documents(fernet, written, progress)
    except BaseException:
        for name in written:
            storage().delete(name)
        raise
    return total


def rotate_encryption_key(*, drop_old=False, reencrypt_only=False, progress=None):
    """Put a new key first (unless `reencrypt_only`), re-encrypt everything with it, and
    with `drop_old` keep only that key. Returns (source, keys now in force, count).

    With a key file, the file is rewritten (new key first) *before* re-encrypting, so that
    the new key can never be lost, and old keys are dropped only once everything is
    re-encrypted. With keys from the environment, nothing can be written: the caller shows
    the new value of SEUIL_ENCRYPTION_KEYS to set.
    """
    source = key_source()
    old_keys = configured_keys()
    new_keys = old_keys if reencrypt_only else [Fernet.generate_key().decode(), *old_keys]
    if source == "file" and not reencrypt_only:
        write_key_file(key_file_path(), new_keys)
        reset_keys()
    count = reencrypt_everything(fernet_for(new_keys), progress)
    final_keys = new_keys[:1] if drop_old else new_keys
    if source == "file" and drop_old:
        write_key_file(key_file_path(), final_keys)
    reset_keys()
    return source, final_keys, count

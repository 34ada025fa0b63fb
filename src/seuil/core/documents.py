"""Documents attached to a file (an identity document, a residence permit, a lease…): the
rules every kind of attachment follows, whichever app owns it.

- **Checked on their content.** A file is accepted when its first bytes are those of a
  PDF, a JPEG or PNG image, or an OpenDocument text (ODT) or Word (DOCX) document — the
  name and the type the browser announces are not trusted: an ``.exe`` renamed ``.pdf`` is
  refused. The signatures are checked here (`detect_type`, a few lines of the standard
  library; for ODT and DOCX the ZIP's table of contents is read, never a compressed entry
  beyond the 60-byte ``mimetype``) rather than by a library: ``filetype`` or
  ``python-magic`` would add a dependency (and libmagic a system one) for five types.
  At most `max_bytes()` (``SEUIL_DOCUMENT_MAX_MB``, 10 MB by default).
- **Encrypted at rest** with the keys of the encrypted notes (`core.crypto`, Fernet), the
  stored file holding only the token: a copy of the folder reveals nothing.
  ``seuil rotate_encryption_key`` re-encrypts them too (`reencrypt_documents`).
- **Stored outside the web root**, through the storage ``documents`` of Django's
  ``STORAGES``: by default a private folder ``documents/`` of ``SEUIL_DATA_DIR`` (folders
  0700, files 0600), under random names that say nothing. No URL ever points at it: a file
  leaves only through the views of the owning app, which check the scope and write an
  access-log row on every download (`download_response`).
- **Deleted with their record**: deleting the row deletes its file once the transaction
  commits (`delete_stored`), as anonymisation does.

An app that attaches documents declares a concrete model inheriting `StoredDocument`, with
the foreign keys to what the documents belong to (so that scoping, cascades and
anonymisation go through its own querysets); `document_models()` finds them all.
"""

import io
import os
import uuid
import zipfile
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models, transaction
from django.http import HttpResponse

from .crypto import DecryptionError, current_fernet

STORAGE = "documents"


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", "Pièce d'identité"
    RESIDENCE_PERMIT = "residence_permit", "Titre de séjour"
    CAF_CERTIFICATE = "caf_certificate", "Attestation CAF"
    LEASE = "lease", "Bail"
    INSPECTION_PHOTOS = "inspection_photos", "Photos d'état des lieux"
    OTHER = "other", "Autre document"


# Kinds whose end of validity is recorded; for a residence permit it is required (the
# reminder before it expires reads it).
KINDS_WITH_EXPIRY = (DocumentKind.IDENTITY, DocumentKind.RESIDENCE_PERMIT)
EXPIRY_REQUIRED = (DocumentKind.RESIDENCE_PERMIT,)


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    content_type: str
    extension: str


PDF = FileType("pdf", "PDF", "application/pdf", ".pdf")
JPEG = FileType("jpeg", "image JPEG", "image/jpeg", ".jpg")
PNG = FileType("png", "image PNG", "image/png", ".png")
ODT = FileType("odt", "document ODT", "application/vnd.oasis.opendocument.text", ".odt")
DOCX = FileType(
    "docx",
    "document DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)
FILE_TYPES = {t.code: t for t in (PDF, JPEG, PNG, ODT, DOCX)}
ACCEPTED_LABEL = "PDF, JPEG, PNG, ODT ou DOCX"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _zip_type(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if names and names[0] == "mimetype":
            with archive.open("mimetype") as entry:
                if entry.read(len(ODT_MIMETYPE) + 1) == ODT_MIMETYPE:
                    return ODT
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        return None
    return None


def detect_type(data):
    """The `FileType` of `data` read from its first bytes (its signature), None when it is
    none of the accepted types."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    return None


def max_bytes():
    return settings.SEUIL_DOCUMENT_MAX_MB * 1024 * 1024


def megabytes(size):
    """``2,4 Mo``: a size as people read it (one decimal, French comma)."""
    value = size / (1024 * 1024)
    if value < 0.1:
        return f"{max(1, round(size / 1024))} ko"
    return f"{value:.1f} Mo".replace(".", ",")


def read_upload(upload):
    """The bytes and the `FileType` of an uploaded file, or ValidationError in French: too
    big, empty, or of a type not accepted (said from its content, not from its name)."""
    limit = max_bytes()
    data = upload.read(limit + 1)
    size = max(upload.size or 0, len(data))
    name = os.path.basename(upload.name or "") or "sans nom"
    if size > limit:
        raise ValidationError(
            f"Le fichier « {name} » est trop lourd : {megabytes(size)}, pour "
            f"{settings.SEUIL_DOCUMENT_MAX_MB} Mo au plus. Réduisez-le (une photo en "
            "résolution plus faible, un PDF compressé) ou découpez-le.",
            code="too_big",
        )
    if not data:
        raise ValidationError(f"Le fichier « {name} » est vide.", code="empty")
    file_type = detect_type(data)
    if file_type is None:
        raise ValidationError(
            f"Le fichier « {name} » n'est pas d'un type accepté : son contenu n'est ni un "
            f"{ACCEPTED_LABEL}, quel que soit le nom du fichier. Enregistrez-le dans l'un de "
            "ces formats (par exemple « Exporter en PDF »), puis déposez-le de nouveau.",
            code="wrong_type",
        )
    return data, file_type


# ---- storage ---------------------------------------------------------------------------


def storage():
    return storages[STORAGE]


def store_encrypted(data, fernet=None):
    """Encrypt `data` and store it under a new random name; returns that name."""
    token = (fernet or current_fernet()).encrypt(data)
    name = f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"
    return storage().save(name, ContentFile(token))


def _read_token(name):
    with storage().open(name, "rb") as stream:
        return stream.read()


def read_stored(name):
    """The stored (encrypted) bytes of `name`, as a backup copies them; None when missing."""
    try:
        return _read_token(name)
    except FileNotFoundError:
        return None


def write_stored(name, token):
    """Put back the encrypted bytes `token` under the exact name `name` (a restore)."""
    if storage().exists(name):
        storage().delete(name)
    saved = storage().save(name, ContentFile(token))
    if saved != name:
        raise OSError(f"stored document saved as {saved} instead of {name}")


def read_decrypted(name):
    """The clear bytes of the stored file `name`."""
    return decrypted(_read_token(name))


def decrypted(token):
    """The clear bytes of an encrypted file (a Fernet token, bytes)."""
    try:
        return current_fernet().decrypt(token)
    except InvalidToken:
        raise DecryptionError(
            "Impossible de déchiffrer un document : aucune des clés de chiffrement "
            "configurées ne correspond à celle qui l'a chiffré."
        ) from None


def delete_stored(names):
    """Delete the stored files `names` once the transaction commits (never if it rolls
    back: the rows still point at them)."""
    names = [name for name in names if name]

    def delete():
        for name in names:
            storage().delete(name)

    if names:
        transaction.on_commit(delete)


def delete_file_of(sender, instance, **kwargs):
    """`post_delete` of every document model (`CoreConfig.ready`): its file goes too."""
    delete_stored([instance.stored_name])


class StoredDocument(models.Model):
    """A document attached to a file: what it is, its checked type, its encrypted copy.

    Abstract: each owning app adds the foreign keys to what the documents belong to."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("type de document", max_length=30, choices=DocumentKind.choices)
    description = models.CharField("description", max_length=200, blank=True)
    original_name = models.CharField("nom du fichier", max_length=255)
    file_type = models.CharField(
        "format", max_length=10, choices=[(t.code, t.label) for t in FILE_TYPES.values()]
    )
    size = models.PositiveIntegerField("taille (octets)")
    stored_name = models.CharField("fichier chiffré", max_length=255, editable=False)
    expires_on = models.DateField("valable jusqu'au", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.original_name}"

    @property
    def type(self):
        return FILE_TYPES[self.file_type]

    def size_label(self):
        return megabytes(self.size)

    def download_name(self):
        """The name the file is downloaded under: the name it was given, with the
        extension of its real type."""
        stem, extension = os.path.splitext(self.original_name)
        extension = extension.lower()
        same = {".jpeg": ".jpg"}.get(extension, extension) == self.type.extension
        return self.original_name if same else f"{stem or 'document'}{self.type.extension}"

    def fill_from(self, data, file_type, name):
        """Set the file's fields from a checked upload and store its encrypted copy."""
        self.original_name = (os.path.basename(name) or "document")[:255]
        self.file_type = file_type.code
        self.size = len(data)
        self.stored_name = store_encrypted(data)
        return self

    def save_with_file(self, data, file_type, name, save):
        """Store the encrypted copy of a checked upload, then `save()` the row; the copy is
        deleted again when `save` fails (a rule refused, a constraint)."""
        self.fill_from(data, file_type, name)
        try:
            return save()
        except BaseException:
            storage().delete(self.stored_name)
            raise

    def read(self):
        return read_decrypted(self.stored_name)


def document_models():
    """Every concrete model of attached documents, whichever app declares it."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, StoredDocument) and not model._meta.proxy
    ]


def download_response(document):
    """The HTTP answer that hands `document` over: always as an attachment (never shown in
    the page), with its checked type, never cached, never sniffed."""
    response = HttpResponse(document.read(), content_type=document.type.content_type)
    return as_attachment(response, document.download_name())


def as_attachment(response, name):
    """`response`, a file named `name` handed over as an attachment: never shown in the
    page, never cached, never sniffed."""
    response["Content-Disposition"] = _attachment(name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _attachment(name):
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


# ---- key rotation ----------------------------------------------------------------------


def reencrypt_documents(fernet, written, progress=None):
    """Re-encrypt every stored document with `fernet`'s first key (`MultiFernet.rotate`):
    each file is written again under a new name (added to `written`, for the caller to
    delete if its transaction fails) and its row updated inside the caller's transaction;
    the old files are deleted once it commits. Returns the number of documents."""
    total = 0
    for model in document_models():
        count, replaced = 0, []
        for pk, name in model._base_manager.order_by("pk").values_list("pk", "stored_name"):
            try:
                token = fernet.rotate(_read_token(name))
            except InvalidToken:
                raise DecryptionError() from None
            new_name = storage().save(
                f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}", ContentFile(token)
            )
            written.append(new_name)
            model._base_manager.filter(pk=pk).update(stored_name=new_name)
            replaced.append(name)
            count += 1
        delete_stored(replaced)
        total += count
        if progress:
            progress(model, None, count)
    return total

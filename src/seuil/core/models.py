import datetime
import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from .copy_insert import CopyInsertQuerySet
from .enums import PENDING_DOWNLOADS, DownloadStatus, OrganisationKind, PartnerKind, Role
from .policy import Action
from .scoping import ScopedQuerySet


class Organisation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ref = models.SlugField("référence", max_length=100, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=30, choices=OrganisationKind.choices)
    department = models.CharField("département", max_length=3, blank=True)
    # Set by `seuil demo` on the organisations it creates, and by nothing else: the demo
    # refuses a database holding any other organisation (its accounts have a public password).
    demo = models.BooleanField("créée par la démonstration", default=False, editable=False)
    # Whom the organisation works with in the chain: the SIAO its requests go to by default,
    # the national platform of its mobility files (the organisation's settings page).
    siao = models.ForeignKey(
        "self",
        verbose_name="SIAO avec lequel l'organisation travaille",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.SIAO},
    )
    platform = models.ForeignKey(
        "self",
        verbose_name="plateforme nationale avec laquelle l'organisation travaille",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.NATIONAL_PLATFORM},
    )

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who logs in; holds one role in one organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField("rôle", max_length=30, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = "utilisateur"


class PartnerQuerySet(ScopedQuerySet):
    """An organisation's partners: its own, for whoever manages its settings."""

    view_action = Action.MANAGE_SETTINGS

    def active(self):
        return self.filter(active=True)


class Partner(models.Model):
    """A partner organisation an organisation works with (CAF, CPAM, PMI, France Travail,
    CCAS, a school, a training body…): where support refers a household to."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partners"
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=PartnerKind.choices)
    commune = models.CharField("commune (code INSEE)", max_length=5, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    active = models.BooleanField("en activité", default=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "commune"],
                name="partner_name_unique_per_organisation_and_commune",
                violation_error_message="Ce partenaire existe déjà dans cette commune.",
            )
        ]

    def __str__(self):
        return self.name


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Tokens that open the API now: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


# How long a personal API token opens the API, from its creation or its last renewal.
TOKEN_VALIDITY = datetime.timedelta(days=365)


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 digest is kept. It opens the API until its
    expiry (a year after its creation, by default), which its owner may push back a year
    (`renew`), and until it is revoked."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    expires_at = models.DateTimeField("expire le")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"

    def __str__(self):
        return f"{self.prefix}… ({self.name or 'sans nom'})"

    @staticmethod
    def digest_of(key):
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name="", valid_for=TOKEN_VALIDITY):
        """Create a token valid for `valid_for`; return (token, clear key). The key is never
        stored."""
        key = "seuil_" + secrets.token_urlsafe(32)
        while key[6] == "-":  # a prefix starting with "-" would read as an option
            key = "seuil_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            digest=cls.digest_of(key),
            prefix=key[6:14],
            expires_at=timezone.now() + valid_for,
        )
        return token, key

    def renew(self, valid_for=TOKEN_VALIDITY):
        """Push the expiry back to `valid_for` from now (the key stays the same)."""
        self.expires_at = timezone.now() + valid_for
        self.save(update_fields=["expires_at"])

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_active(self):
        return self.revoked_at is None and not self.is_expired


class AccessLog(models.Model):
    """Who read or changed which file, when. Never holds personal data itself."""

    class Action(models.TextChoices):
        VIEW = "view", "Consultation"
        CREATE = "create", "Création"
        CHANGE = "change", "Modification"
        EXPORT = "export", "Export"
        DOWNLOAD = "download", "Téléchargement"

    at = models.DateTimeField("quand", auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL)
    role = models.CharField("rôle", max_length=30, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL)
    action = models.CharField("action", max_length=10, choices=Action.choices)
    object_type = models.CharField("objet", max_length=50)
    object_uuid = models.UUIDField("identifiant", db_index=True)

    # A list or an export of thousands of files writes its rows by COPY (`core.audit`).
    objects = CopyInsertQuerySet.as_manager()

    class Meta:
        verbose_name = "trace d'accès"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_type} {self.at:%d/%m/%Y %H:%M}"


class ChangeRecordQuerySet(models.QuerySet):
    def of_household(self, household_uuid, *merged_uuids):
        """Every change of a household's file (the household, its members and their
        records, its stays), newest first: one query on an indexed column. `merged_uuids`:
        the files merged into it, whose history is read with its own."""
        uuids = [household_uuid, *merged_uuids]
        return self.filter(household_uuid__in=uuids).order_by("-at", "-pk")


class ChangeRecord(models.Model):
    """Who changed what in a household's file, and the values before and after.

    `changes` maps each changed field to `[before, after]` (JSON values, see
    `seuil.core.history`); encrypted fields hold markers, never their text. Kept as long as
    the household (unlike the access log, it is not purged after 12 months); never written
    to the application logs.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Création"
        CHANGE = "change", "Modification"
        DELETE = "delete", "Suppression"

    at = models.DateTimeField("quand", default=timezone.now)
    # No index on the user and the organisation: the history is read by household, and an
    # import writes one row per row it touches (each index slows it down).
    user = models.ForeignKey(
        User,
        verbose_name="utilisateur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    role = models.CharField("rôle", max_length=30, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    action = models.CharField("action", max_length=10, choices=Action.choices)
    object_type = models.CharField("objet", max_length=50)
    object_uuid = models.UUIDField("identifiant", db_index=True)
    household_uuid = models.UUIDField("ménage", null=True, blank=True)
    changes = models.JSONField("modifications", default=dict)
    # Why a record was corrected or deleted, or two files merged (asked of the user then).
    reason = models.TextField("motif", blank=True)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "modification"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["household_uuid", "at"], name="change_household_at")]

    def __str__(self):
        # Never the values: they may be personal data.
        return f"{self.get_action_display()} {self.object_type} {self.at:%d/%m/%Y %H:%M}"


class WorkerHeartbeat(models.Model):
    """A background worker (`seuil db_worker`) saying it is alive, every few seconds
    (`core.workers`): the work a worker that stopped beating had under way is taken back by
    another, and the pages waiting for it say it was interrupted."""

    worker_id = models.CharField("processus", max_length=64, unique=True)
    host = models.CharField("machine", max_length=255, blank=True)
    pid = models.PositiveIntegerField("numéro de processus")
    started_at = models.DateTimeField("démarré le")
    beat_at = models.DateTimeField("dernier signe de vie", db_index=True)

    class Meta:
        verbose_name = "processus d'arrière-plan"
        verbose_name_plural = "processus d'arrière-plan"

    def __str__(self):
        return f"{self.worker_id} ({self.beat_at:%d/%m/%Y %H:%M:%S})"


class PreparedDownloadQuerySet(ScopedQuerySet):
    def visible_to(self, user, action=None):
        """A prepared file is its requester's alone, while their role has the action of its
        kind (`core.downloads`)."""
        from .downloads import kinds_allowed

        return self.filter(requested_by_id=user.pk, kind__in=kinds_allowed(user))


class PreparedDownload(models.Model):
    """A file prepared in the background for the person who asked for it (`core.downloads`)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    requested_by = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="prepared_downloads"
    )
    kind = models.CharField("nature", max_length=40)
    # What the kind needs to write the file again (its format, the day of the data).
    options = models.JSONField("options", default=dict)
    filename = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField("type", max_length=100)
    status = models.CharField("état", max_length=10, choices=DownloadStatus.choices)
    progress = models.PositiveSmallIntegerField("avancement", default=0)  # 0 to 100
    rows = models.PositiveIntegerField("lignes", default=0)
    size = models.PositiveBigIntegerField("taille (octets)", default=0)
    requested_at = models.DateTimeField("demandé le", default=timezone.now, db_index=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    error = models.TextField("erreur", blank=True)

    objects = PreparedDownloadQuerySet.as_manager()
    # Files made again on demand, kept a day: a restored database starts without them.
    kept_in_backups = False

    class Meta:
        verbose_name = "fichier préparé"
        verbose_name_plural = "fichiers préparés"

    def __str__(self):
        return f"{self.kind} {self.filename} ({self.get_status_display()})"

    @property
    def is_pending(self):
        return self.status in PENDING_DOWNLOADS


class PreparedPart(models.Model):
    """A part of a prepared file, encrypted (a Fernet token)."""

    download = models.ForeignKey(PreparedDownload, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField("numéro")
    data = models.BinaryField("données chiffrées")
    kept_in_backups = False

    class Meta:
        verbose_name = "partie d'un fichier préparé"
        verbose_name_plural = "parties de fichiers préparés"
        constraints = [
            models.UniqueConstraint(fields=["download", "number"], name="one_part_per_number")
        ]

    def __str__(self):
        return f"{self.download_id} #{self.number}"


class InputsVersion(models.Model):
    """The version of a named set of records that results are computed from and stored
    (`core.derived`): a random token drawn again by every write to them. Not kept in
    backups: a restored database starts without them, and what was stored with one is
    computed again."""

    kept_in_backups = False  # `core.backup`

    name = models.CharField("données", max_length=100, unique=True)
    version = models.CharField("version", max_length=16, blank=True)

    class Meta:
        verbose_name = "version de données"
        verbose_name_plural = "versions de données"

    def __str__(self):
        return f"{self.name} : version {self.version}"

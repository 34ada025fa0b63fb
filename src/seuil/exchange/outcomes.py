"""The `follow_ups` list of a `seuil-exchange/1` file (EXCHANGE.md §1.1): its shape, its
checks against the stays, its write step and its export.

```json
"follow_ups": [{"ref": "F01", "stay": "S01", "on": "2025-11-20", "housed": true,
                "same_home": true, "employed": false, "satisfaction": 4}]
```

- A follow-up belongs to a stay that has ended (in the file or already in Seuil), and
  `on` is after its `exited_on` (`seuil.outcomes.rules.follow_up_errors`, the rule of
  every door); `housed`, `same_home`, `employed` are true, false or null (not known);
  `satisfaction` is 1–5 or null.
- Idempotent on `ref`: a follow-up of the same ref is updated, never duplicated; the list
  left out leaves the follow-ups alone; a follow-up the list no longer names is kept
  (as stays and units are). The other answers a follow-up has in Seuil (same commune,
  training, satisfaction with the support, reason for leaving, return to a shelter) do not
  travel and are left as they are by an import.
"""

from decimal import Decimal

from seuil.core.jsondoc import Bool, Date, Field, Text
from seuil.core.plausibility import check_event_date
from seuil.housing.models import Stay
from seuil.outcomes.enums import AnsweredBy
from seuil.outcomes.models import FollowUp
from seuil.outcomes.rules import follow_up_errors

from .batches import by_ref

# Fields compared and written (attnames), besides organisation and ref.
FOLLOW_UP_FIELDS = ["stay_id", "on", "housed", "same_home", "employed", "satisfaction"]


class Answer(Bool):
    """true, false or null (not known: None when absent)."""

    expected = "booléen ou null attendu"

    def __init__(self):
        super().__init__()
        self.default = None

    def read(self, value, path, reader):
        if value.__class__ is not bool:
            return reader.error(path, "true, false ou null (non connu) attendu")
        return value


class Score(Field):
    """A whole number from 1 to 5, or null (None)."""

    expected = "entier de 1 à 5 attendu"

    def read(self, value, path, reader):
        if isinstance(value, float | Decimal) and value == int(value):
            value = int(value)
        if value.__class__ is bool or not isinstance(value, int) or not 1 <= value <= 5:
            return reader.error(path, "entier de 1 à 5 attendu (ou null)")
        return value


def _ref(required):
    return Text(max_length=100, blank="référence vide", required=required, default=None)


FOLLOW_UP = {
    "ref": _ref(True),
    "stay": _ref(True),
    "on": Date(check=check_event_date, required=True),
    "housed": Answer(),
    "same_home": Answer(),
    "employed": Answer(),
    "satisfaction": Score(),
}
LISTS = {"follow_ups": FOLLOW_UP}
KIND_LABELS = {"follow_ups": "suivis après la sortie"}


# ---------------------------------------------------------------- the database's rows


def snapshot_rows(organisation_id):
    """ref → row of the organisation's follow-ups (pk, uuid and the exchanged fields)."""
    rows = FollowUp.objects.filter(organisation=organisation_id).values(
        "pk", "uuid", "ref", *FOLLOW_UP_FIELDS
    )
    return {row["ref"]: row for row in rows}


# ---------------------------------------------------------------- checks


def check(document, snapshot, stays, errors):
    """Duplicated refs, unknown stays, and follow-ups not after their stay's exit, in
    the file and against the follow-ups already in Seuil whose stay the file changes.

    `stays`: ref → final state of each stay (`validate.StayState`: exited_on, index)."""
    seen = {}
    in_file = set()
    for i, row in document.rows("follow_ups"):
        path = f"follow_ups[{i}]"
        ref = row["ref"]
        if ref is not None:
            if ref in seen:
                errors.add(
                    f"{path}.ref",
                    f"référence « {ref} » en double (déjà en follow_ups[{seen[ref]}])",
                )
            else:
                seen[ref] = i
            in_file.add(ref)
        stay_ref = row["stay"]
        if stay_ref is None:
            continue
        stay = stays.get(stay_ref)
        if stay is None:
            errors.add(
                f"{path}.stay", f"séjour « {stay_ref} » inconnu (ni dans le fichier ni en base)"
            )
            continue
        if stay.exited_on is None:
            errors.add(
                f"{path}.stay",
                f"le séjour « {stay_ref} » n'est pas terminé : un suivi après la sortie suit "
                "une sortie",
            )
        elif row["on"] is not None:
            for message in follow_up_errors(stay.exited_on, row["on"]):
                errors.add(f"{path}.on", message)
    _check_kept(snapshot, stays, in_file, errors)


def _check_kept(snapshot, stays, in_file, errors):
    """The follow-ups only in Seuil stay valid when the file changes their stay's exit."""
    stay_refs = {row["pk"]: ref for ref, row in snapshot.stays.items()}
    for ref, row in snapshot.follow_ups.items():
        if ref in in_file:
            continue
        stay_ref = stay_refs.get(row["stay_id"])
        stay = stays.get(stay_ref)
        if stay is None or stay.index is None:
            continue
        if follow_up_errors(stay.exited_on, row["on"]):
            errors.add(
                f"stays[{stay.index}].exited_on",
                f"le suivi après la sortie « {ref} », daté du {row['on']:%d/%m/%Y}, doit "
                "rester postérieur à la sortie du séjour",
            )


# ---------------------------------------------------------------- writing


def write(writer):
    """Sync the file's follow-ups (after the stays: they refer to them)."""
    if "follow_ups" not in writer.doc.given:
        return
    from .importer import _History, _inverse

    stays = writer.pks(Stay)
    desired = {}
    for _, row in writer.doc.rows("follow_ups"):
        desired[row["ref"]] = {
            "organisation_id": writer.org.pk,
            "ref": row["ref"],
            "stay_id": stays[row["stay"]],
            "on": row["on"],
            "housed": row["housed"],
            "same_home": row["same_home"],
            "employed": row["employed"],
            "satisfaction": row["satisfaction"],
            "answered_by": AnsweredBy.IMPORT,
        }
    households = dict(
        Stay.objects.filter(organisation=writer.org).values_list("pk", "household__uuid")
    )
    writer.sync(
        "follow_ups",
        FollowUp,
        writer.snap.follow_ups,
        desired,
        FOLLOW_UP_FIELDS,
        history=_History(
            lambda key, values, uuid: households.get(values["stay_id"]),
            {"stay_id": _inverse(stays)},
        ),
    )


# ---------------------------------------------------------------- export


def export_rows(organisation, exported_stays, stay_refs):
    """The `follow_ups` list of the export as `Rows`: those of the exported stays
    (`exported_stays`, their `stay_refs`: pk → ref), by ref."""
    return by_ref(
        FollowUp.objects.filter(organisation=organisation.pk, stay__in=exported_stays),
        FOLLOW_UP_FIELDS,
        lambda row: {
            "ref": row["ref"],
            "stay": stay_refs[row["stay_id"]],
            "on": row["on"].isoformat(),
            "housed": row["housed"],
            "same_home": row["same_home"],
            "employed": row["employed"],
            "satisfaction": row["satisfaction"],
        },
    )

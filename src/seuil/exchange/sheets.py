"""The spreadsheet layout of a `seuil-exchange/1` file: one sheet per list, French headers.

Each `Sheet` is one list of the exchange file (`key`: `housing_units`, or
`households.members` for a list inside the rows of another), with its French title, its
columns (the exchange field, the French header, the enum of a coded field) and the fields
that describe each value (`spec`: the very fields `schema` reads the JSON with, so that a
cell is checked by the same rule as a JSON value). A list inside the rows of another gets
its own sheet, whose first column names the parent row by its reference (`link`).

`workbook` writes and reads the XLSX from this layout; `tests/exchange` checks that every
field of the format has its column and every coded column its enum.
"""

from dataclasses import dataclass, field

from seuil.core.enums import OrganisationKind
from seuil.households.enums import (
    JoinedReason,
    LegalStatus,
    MemberRole,
    PriorSituation,
    ResourceType,
    Sex,
)
from seuil.housing.enums import (
    ExitDestination,
    LandlordKind,
    ProgrammeKind,
    SupportIntensity,
    Typology,
)
from seuil.support.enums import ContactKind, ObjectiveDomain, ObjectiveOutcome
from seuil.tenancy.enums import InspectionKind, PaymentMethod

from . import outcomes, schema, support, tenancy

# The cell of a list of codes (resources, communes) separates its items with this.
ITEM_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    choices: type | None = None  # the enum of a coded field (its labels in the drop-down)


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    about: str
    spec: dict
    columns: tuple
    parent: str | None = None  # the key of the sheet whose rows hold this list
    link: Column | None = None  # the column naming the parent row (by its ref)
    single: bool = False  # one row only (the organisation)
    nested: tuple = field(default=())  # fields of `spec` that are lists of another sheet

    @property
    def list_name(self):
        """The list's name in the file: `members` for `households.members`."""
        return self.key.rsplit(".", 1)[-1]

    def all_columns(self):
        return ((self.link,) if self.link else ()) + self.columns


def C(field_name, header, choices=None):
    return Column(field_name, header, choices)


REF = C("ref", "Référence")
NAME = C("name", "Nom")

SHEETS = (
    Sheet(
        "organisation",
        "Organisation",
        "Votre organisation (une seule ligne). La référence doit être celle de votre "
        "organisation dans Seuil : un classeur d'une autre organisation est refusé.",
        schema.ORGANISATION,
        (REF, NAME, C("kind", "Type", OrganisationKind), C("department", "Département")),
        single=True,
    ),
    Sheet(
        "programmes",
        "Dispositifs",
        "Les dispositifs (IML, pension de famille…), avec la durée maximale "
        "d'accompagnement en mois (vide : sans limite).",
        schema.PROGRAMME,
        (
            REF,
            NAME,
            C("kind", "Type", ProgrammeKind),
            C("max_support_months", "Durée maximale d'accompagnement (mois)"),
        ),
    ),
    Sheet(
        "sectors",
        "Secteurs",
        "Les secteurs géographiques et leurs communes (codes INSEE séparés par des "
        "points-virgules, par exemple 80021;80001).",
        schema.SECTOR,
        (REF, NAME, C("communes", "Communes (codes INSEE)")),
    ),
    Sheet(
        "landlords",
        "Bailleurs",
        "Les bailleurs des logements captés.",
        schema.LANDLORD,
        (REF, NAME, C("kind", "Type", LandlordKind)),
    ),
    Sheet(
        "housing_units",
        "Logements",
        "Les logements captés. Une chambre en colocation indique le logement dont elle "
        "fait partie dans « Logement parent ». Dispositif, secteur et bailleur sont donnés "
        "par leur référence (feuilles Dispositifs, Secteurs, Bailleurs).",
        schema.HOUSING_UNIT,
        (
            REF,
            C("programme", "Dispositif (référence)"),
            C("typology", "Typologie", Typology),
            C("parent", "Logement parent (référence)"),
            C("address", "Adresse"),
            C("commune", "Commune (code INSEE)"),
            C("sector", "Secteur (référence)"),
            C("landlord", "Bailleur (référence)"),
            C("rent", "Loyer (€ par mois)"),
            C("charges", "Charges (€ par mois)"),
            C("surface_m2", "Surface (m²)"),
            C("accessible", "Accessible (PMR)"),
            C("captured_on", "Capté le"),
            C("returned_on", "Restitué le"),
        ),
    ),
    Sheet(
        "households",
        "Ménages",
        "Les ménages, une ligne chacun ; leurs membres, ressources et statuts sont dans "
        "les feuilles Membres, Ressources et Statuts administratifs.",
        schema.HOUSEHOLD,
        (REF, C("prior_situation", "Situation avant l'entrée", PriorSituation)),
        nested=("resources", "members"),
    ),
    Sheet(
        "households.members",
        "Membres",
        "Les personnes de chaque ménage, une ligne par personne et par ménage. Quand cette "
        "feuille est présente, elle donne la composition complète des ménages du classeur : "
        "une personne retirée de la feuille est retirée de son ménage.",
        schema.MEMBER,
        (
            C("ref", "Référence de la personne"),
            C("role", "Rôle dans le ménage", MemberRole),
            C("sex", "Sexe", Sex),
            C("birth_date", "Date de naissance"),
            C("first_name", "Prénom"),
            C("last_name", "Nom"),
            C("joined_on", "Arrivée dans le ménage le"),
            C("joined_reason", "Motif de l'arrivée", JoinedReason),
            C("left_on", "Départ du ménage le"),
        ),
        parent="households",
        link=C("household", "Ménage (référence)"),
        nested=("legal_status",),
    ),
    Sheet(
        "households.members.legal_status",
        "Statuts administratifs",
        "Le statut administratif de chaque personne, daté (une ligne par changement). "
        "Quand cette feuille est présente, elle donne tous les statuts des personnes du "
        "classeur.",
        schema.LEGAL_STATUS,
        (C("since", "Depuis le"), C("status", "Statut", LegalStatus)),
        parent="households.members",
        link=C("person", "Personne (référence)"),
    ),
    Sheet(
        "households.resources",
        "Ressources",
        "Les ressources de chaque ménage à une date, séparées par des points-virgules "
        "(par exemple « RSA;Prestations familiales »). Quand cette feuille est présente, "
        "elle donne toutes les ressources des ménages du classeur.",
        schema.RESOURCES,
        (C("on", "Date"), C("types", "Ressources", ResourceType)),
        parent="households",
        link=C("household", "Ménage (référence)"),
    ),
    Sheet(
        "stays",
        "Séjours",
        "Les séjours : un ménage dans un logement, de son entrée à sa sortie.",
        schema.STAY,
        (
            REF,
            C("household", "Ménage (référence)"),
            C("unit", "Logement (référence)"),
            C("programme", "Dispositif (référence)"),
            C("entered_on", "Entré le"),
            C("exited_on", "Sorti le"),
            C("exit_destination", "Destination à la sortie", ExitDestination),
            C("lease_transferred", "Bail glissé"),
            C("support_intensity", "Accompagnement", SupportIntensity),
        ),
    ),
    Sheet(
        "eviction_procedures",
        "Procédures d'expulsion",
        "Les procédures d'expulsion, par séjour. Quand cette feuille est présente, elle "
        "donne toutes les procédures des séjours du classeur.",
        schema.EVICTION,
        (
            C("stay", "Séjour (référence)"),
            C("started_on", "Début le"),
            C("ended_on", "Fin le"),
        ),
    ),
    Sheet(
        "sub_leases",
        "Sous-locations",
        "Les sous-locations (une au plus par séjour) ; leurs loyers datés sont dans la "
        "feuille Conditions des sous-locations.",
        tenancy.SUB_LEASE,
        (
            REF,
            C("stay", "Séjour (référence)"),
            C("signed_on", "Signée le"),
            C("tripartite", "Tripartite"),
            C("deposit", "Dépôt de garantie (€)"),
            C("due_day", "Jour d'échéance (1 à 28)"),
        ),
        nested=("terms",),
    ),
    Sheet(
        "sub_leases.terms",
        "Conditions des sous-locations",
        "Le loyer, les charges et l'APL versée à l'organisme (tiers payant, 0 sinon) de "
        "chaque sous-location, à partir d'une date.",
        tenancy.TERM,
        (
            C("from", "À partir du"),
            C("rent", "Loyer (€ par mois)"),
            C("charges", "Charges (€ par mois)"),
            C("housing_benefit", "APL versée à l'organisme (€ par mois)"),
        ),
        parent="sub_leases",
        link=C("sub_lease", "Sous-location (référence)"),
    ),
    Sheet(
        "rent_calls",
        "Appels de loyer",
        "Les avis d'échéance, un par mois et par sous-location. Quand cette feuille est "
        "présente, elle donne tous les appels des sous-locations du classeur.",
        tenancy.RENT_CALL,
        (
            C("sub_lease", "Sous-location (référence)"),
            C("month", "Mois (AAAA-MM)"),
            C("due_on", "Échéance le"),
            C("rent", "Loyer (€)"),
            C("charges", "Charges (€)"),
            C("housing_benefit", "APL versée à l'organisme (€)"),
        ),
    ),
    Sheet(
        "payments",
        "Paiements",
        "Les sommes reçues du ménage ou pour lui.",
        tenancy.PAYMENT,
        (
            REF,
            C("sub_lease", "Sous-location (référence)"),
            C("paid_on", "Payé le"),
            C("amount", "Montant (€)"),
            C("method", "Mode de paiement", PaymentMethod),
        ),
    ),
    Sheet(
        "repayment_plans",
        "Échéanciers",
        "Les plans d'apurement de la dette ; leurs échéances sont dans la feuille Échéances.",
        tenancy.REPAYMENT_PLAN,
        (
            REF,
            C("sub_lease", "Sous-location (référence)"),
            C("agreed_on", "Convenu le"),
            C("debt", "Dette (€)"),
        ),
        nested=("instalments",),
    ),
    Sheet(
        "repayment_plans.instalments",
        "Échéances",
        "Les échéances de chaque échéancier (au moins une par échéancier).",
        tenancy.INSTALMENT,
        (C("due_on", "Échéance le"), C("amount", "Montant (€)")),
        parent="repayment_plans",
        link=C("repayment_plan", "Échéancier (référence)"),
    ),
    Sheet(
        "inspections",
        "États des lieux",
        "Les états des lieux d'un logement, pour un séjour quand il y en a un.",
        tenancy.INSPECTION,
        (
            REF,
            C("unit", "Logement (référence)"),
            C("stay", "Séjour (référence)"),
            C("kind", "Type", InspectionKind),
            C("done_on", "Fait le"),
        ),
    ),
    Sheet(
        "support_contracts",
        "Contrats d'accompagnement",
        "Les contrats d'accompagnement, un par séjour ; leurs avenants sont dans la "
        "feuille Avenants.",
        support.SUPPORT_CONTRACT,
        (
            REF,
            C("stay", "Séjour (référence)"),
            C("signed_on", "Signé le"),
            C("starts_on", "Début le"),
            C("ends_on", "Fin le"),
        ),
        nested=("amendments",),
    ),
    Sheet(
        "support_contracts.amendments",
        "Avenants",
        "Les avenants qui prolongent un contrat d'accompagnement. Quand cette feuille est "
        "présente, elle donne tous les avenants des contrats du classeur.",
        support.AMENDMENT,
        (REF, C("signed_on", "Signé le"), C("ends_on", "Nouvelle fin le")),
        parent="support_contracts",
        link=C("contract", "Contrat (référence)"),
    ),
    Sheet(
        "contacts",
        "Contacts",
        "Les rencontres et entretiens qui ont eu lieu avec les ménages.",
        support.CONTACT,
        (
            REF,
            C("household", "Ménage (référence)"),
            C("on", "Date"),
            C("kind", "Type", ContactKind),
        ),
    ),
    Sheet(
        "objectives",
        "Objectifs",
        "Les objectifs d'accompagnement des ménages ; le résultat est donné quand "
        "l'objectif est clos, et seulement alors.",
        support.OBJECTIVE,
        (
            REF,
            C("household", "Ménage (référence)"),
            C("domain", "Domaine", ObjectiveDomain),
            C("set_on", "Fixé le"),
            C("closed_on", "Clos le"),
            C("outcome", "Résultat", ObjectiveOutcome),
        ),
    ),
    Sheet(
        "follow_ups",
        "Suivis après la sortie",
        "Les nouvelles des ménages après leur sortie (vide : non connu).",
        outcomes.FOLLOW_UP,
        (
            REF,
            C("stay", "Séjour (référence)"),
            C("on", "Date"),
            C("housed", "Logé"),
            C("same_home", "Dans le même logement"),
            C("employed", "En emploi"),
            C("satisfaction", "Satisfaction (1 à 5)"),
        ),
    ),
)
BY_KEY = {sheet.key: sheet for sheet in SHEETS}
README_TITLE = "Lisez-moi"
CHOICES_TITLE = "Listes"  # the hidden sheet of the drop-down lists

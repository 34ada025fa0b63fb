"""Reminders of papers that expire: one machinery for every app that files a paper with its
last day of validity (a residence permit, a home insurance certificate).

A paper is due from some days before its last day until a newer one is filed; the app says
which papers are due (`due(today, organisation=None)`, soonest first) and how to name one
(its household's reference, never a person). From there, the same for every paper:

- `remind(today)`: whoever has `action` in the paper's organisation is told once per paper
  still valid (notification kind `kind`);
- `daily_task(now, dry_run=)`: what `seuil daily` runs and reports;
- `todos(user, today)`: the lines of « Mes tâches » for whoever has `action` (expired
  papers too, until the newer one is filed).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from seuil.core.policy import Scope, allows, roles_with
from seuil.core.wording import plural

from .registry import Todo
from .services import notify


def expiry_sentence(what, expires_on, today, advice):
    """« {what} expire le 12/05/2026 : {advice}. », or « {what} a expiré le … » once past."""
    day = f"{expires_on:%d/%m/%Y}"
    if expires_on < today:
        return f"{what} a expiré le {day}."
    return f"{what} expire le {day} : {advice}."


@dataclass(frozen=True)
class ExpiryReminder:
    """The reminders of one kind of paper (see the module)."""

    kind: str  # the notification kind (registered by the app)
    action: object  # core.policy.Action: who is told and has the task
    category: str  # the tasks' heading in « Mes tâches »
    report: str  # what `seuil daily` names: "Titres de séjour"
    told_forms: str  # "titre rappelé,titres rappelés"
    due: Callable  # due(today, organisation=None) -> the papers due, soonest first
    organisation_of: Callable  # paper -> its organisation's id
    title: Callable  # paper -> the task's title
    sentence: Callable  # (paper, today) -> what the notification and the task say
    url: Callable  # paper -> the page where it is renewed

    def remind(self, today):
        """Tell, once per paper still valid and due, those who have `action` in its
        organisation. Returns how many papers were told of."""
        count = 0
        for paper in self.due(today).filter(expires_on__gte=today):
            told = notify(
                self.kind,
                paper,
                message=self.sentence(paper, today),
                organisation=self.organisation_of(paper),
                roles=roles_with(self.action, Scope.OWN),
                url=self.url(paper),
                once=True,
            )
            count += bool(told)
        return count

    def daily_task(self, now, *, dry_run=False):
        """The daily reminders and their line of `seuil daily`'s report."""
        today = timezone.localdate(now)
        if dry_run:
            count = self.due(today).filter(expires_on__gte=today).count()
            return f"{self.report} : {plural(count, 'rappel')} à envoyer (simulation)."
        return f"{self.report} : {plural(self.remind(today), self.told_forms)}."

    def todos(self, user, today):
        """« Mes tâches »: the papers due in the user's organisation, for whoever has
        `action` there."""
        if not allows(user, self.action, Scope.OWN):
            return []
        return [
            Todo(
                title=self.title(paper),
                url=self.url(paper),
                due_on=paper.expires_on,
                category=self.category,
                detail=self.sentence(paper, today),
            )
            for paper in self.due(today, user.organisation_id)
        ]

"""The daily tasks (`seuil daily`): each app registers its own in its `AppConfig.ready()`.

A task is a function `task(now, *, dry_run=False) -> str` that does one thing and returns
one French line saying what was done (or would be, with `dry_run`). `seuil daily` runs them
by increasing `order`: the purges of the traces (10, 20) and of the notifications (25), the
anonymisation (30), the undo data of the merges older than 30 days (35), the
proposals' expiry (40), the vacancies (50), orientation's reminders (55), the order of the
waiting lists (56), the matching runs (60), the rent calls (70), the prevention cases (75)
and the late rents (77), support's reminders (80), the follow-ups after exit (85), the
digests of the notifications (90, last: the tasks before may notify).
"""

_TASKS: list[tuple[int, object]] = []


def register_daily_task(task, *, order):
    """Run `task` every day, after the tasks of smaller `order`."""
    if all(registered is not task for _, registered in _TASKS):
        _TASKS.append((order, task))
        _TASKS.sort(key=lambda item: item[0])
    return task


def daily_tasks():
    """The daily task functions, in order."""
    return [task for _, task in _TASKS]

"""Parts of the programme form that the apps above own.

A programme's settings do not all live on `Programme`: support keeps the target caseload
and the yearly budget on its `SupportSettings`. Rather than copy them, support registers a
*part* of the programme form in its `AppConfig.ready()`:

    register_programme_part(
        ProgrammePart(fields=part_fields, initial=part_initial, save=save_part), order=10
    )

- `fields()` returns fresh form fields {name: field}, added to the programme form after its
  own (names unique across parts);
- `initial(programme)` their values for an existing programme ({} for a new one:
  `programme` is None);
- `save(programme, values, by)` writes them (inside the programme's transaction, after the
  programme is saved; a ValidationError {field: message} refuses the whole change and is
  shown on that field). It writes its own history rows.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgrammePart:
    fields: Callable
    initial: Callable
    save: Callable


_PARTS: list[tuple[int, ProgrammePart]] = []


def register_programme_part(part, *, order=100):
    if all(registered is not part for _, registered in _PARTS):
        _PARTS.append((order, part))
        _PARTS.sort(key=lambda item: item[0])
    return part


def programme_parts():
    return [part for _, part in _PARTS]

"""References of the records Seuil names itself (a household, a person, a stay…).

One format for every kind: the kind's prefix, a dash and eight hexadecimal digits in
capitals, "M-1A2B3C4D" for a household. Each model with such references declares its prefix
once, `REF_PREFIX = "M"` (a test checks that no two kinds share one). Pages, the API, the
services and the demo name their records with `new_ref(Model)`; the demo, which must give
the same records every time, with `seeded_ref(Model, seed)`. A reference an exchange file
or an API client gives is kept as given: it is the file's own identifier.
"""

import hashlib
import re
import uuid

DIGITS = 8
FORMAT = re.compile(rf"^(?P<prefix>[A-Z]{{1,3}})-[0-9A-F]{{{DIGITS}}}$")


def _ref(model, hexdigits):
    return f"{model.REF_PREFIX}-{hexdigits[:DIGITS].upper()}"


def new_ref(model):
    """A new reference of a record of `model`: "M-1A2B3C4D" for a `Household`."""
    return _ref(model, uuid.uuid4().hex)


def seeded_ref(model, seed):
    """The reference of a record of `model` drawn from `seed`: the same seed gives the same
    reference (the demo), in the format of `new_ref`."""
    digest = hashlib.sha256(f"{model.REF_PREFIX}:{seed}".encode()).hexdigest()
    return _ref(model, digest)

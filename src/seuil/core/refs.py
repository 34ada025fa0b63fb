"""References of the records Seuil creates itself (a household, a person, a stay…)."""

import uuid


def new_ref(prefix):
    """A new reference: the prefix and eight random hexadecimal digits, "M-1A2B3C4D"."""
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"

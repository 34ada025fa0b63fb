"""Rounding the way the reports and dashboards print figures."""

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction


def round_half_up(numerator, denominator, places):
    """numerator / denominator rounded half up to `places` decimals, as a float."""
    value = Fraction(numerator, denominator)
    with localcontext() as context:
        context.prec = 60
        quotient = Decimal(value.numerator) / Decimal(value.denominator)
        return float(quotient.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))

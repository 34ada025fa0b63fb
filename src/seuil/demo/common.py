"""Small helpers the parts of the demo share: days, years, weighted choices."""

import datetime

DAY = datetime.timedelta(days=1)


def days(n):
    return datetime.timedelta(days=n)


def plus_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]

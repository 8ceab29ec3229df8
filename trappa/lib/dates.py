"""Calendar arithmetic the rules, the demo and the generator share."""


def years_before(day, years):
    """The same date `years` earlier (29 February becomes 28 February): the last birth date of someone
    `years` old on `day`, as Person.age_on counts."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)

"""The yearly revision (rullering) of an action plan.

`revise` copies the latest revision into the next year's, which staff then
edit. The revision it copies from is frozen: its measures that read their
costs from an offering get those costs written into their own rows first, so
what was decided that year keeps its figures even when the offering changes.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from trappa.catalogue.models import MeasureYear, PlanRevision


class RevisionError(Exception):
    pass


@transaction.atomic
def revise(plan, user=None):
    latest = plan.latest_revision()
    if latest is None:
        raise RevisionError(_("The plan has no revision to start from."))
    try:
        with transaction.atomic():
            new = PlanRevision.objects.create(plan=plan, year=latest.year + 1, created_by=user)
    except IntegrityError:
        message = _("The plan already has a revision for %(year)s.") % {"year": latest.year + 1}
        raise RevisionError(message) from None
    for measure in latest.measures.select_related("offering").prefetch_related("years", "offering__costs"):
        _freeze(measure)
        _copy(measure, new)
    return new


def _freeze(measure):
    if measure.offering_id and not measure.years.exists():
        MeasureYear.objects.bulk_create(
            MeasureYear(measure=measure, year=c.year, staffing_percent=c.staffing_percent, cost=c.total)
            for c in measure.offering.costs.all()
        )


def _copy(measure, revision):
    # The copy of an offering's measure reads the offering's live costs again.
    own_years = [] if measure.offering_id else list(measure.years.all())
    measure.pk = None
    measure.revision = revision
    measure._state.adding = True
    measure.save()
    MeasureYear.objects.bulk_create(
        MeasureYear(measure=measure, year=y.year, staffing_percent=y.staffing_percent, cost=y.cost) for y in own_years
    )
    return measure

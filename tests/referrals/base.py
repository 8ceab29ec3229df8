"""Helpers for the referral tests: an offering, a group, a referral through the services."""

import datetime

from trappa.catalogue.models import Access, Offering, PreventionLevel, ProviderKind, Step
from trappa.referrals import services
from trappa.referrals.models import Group, Pathway, Source
from trappa.test import BaseTestCase


def make_offering(municipality, unit, code="hverdagsrehabilitering", name="Hverdagsrehabilitering"):
    step, _ = Step.objects.get_or_create(
        municipality=municipality, code="rehab", defaults={"position": 3, "name_nb": "Rehabilitering"}
    )
    return Offering.objects.create(
        municipality=municipality,
        code=code,
        step=step,
        name_nb=name,
        summary_nb=name,
        prevention_level=PreventionLevel.values[-1],
        access=Access.values[0],
        provider_kind=ProviderKind.values[0],
        provider_name="Vefsn kommune",
        unit=unit,
    )


def make_group(offering, leader=None, capacity=12, **fields):
    return Group.objects.create(
        municipality=offering.municipality,
        offering=offering,
        name=fields.pop("name", "Sterk og stødig, Byparken"),
        leader=leader,
        capacity=capacity,
        starts_on=fields.pop("starts_on", datetime.date(2026, 9, 1)),
        **fields,
    )


def make_referral(case, person, **kw):
    offering = kw.pop("offering", None) or case.rehab
    kw.setdefault("pathway", Pathway.EVERYDAY_REHABILITATION)
    return services.refer(person, offering, kw.pop("source", Source.HOSPITAL), case.alice, "fall at home", **kw)


class ReferralTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rehab = make_offering(cls.vefsn, cls.physio)
        cls.strong = make_offering(cls.vefsn, cls.health, "sterk-og-stodig", "Sterk og stødig")

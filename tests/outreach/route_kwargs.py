"""The outreach routes use only `person_id`, which the route matrix knows; nothing to add."""

ROUTE_KWARGS = {}

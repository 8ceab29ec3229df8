"""Access control to personal data and the access log.

Staff see a person only through a care relationship or an emergency access;
every read or change of a person's data writes an AccessLogEntry. The
application offers no way to edit or delete entries (see `AccessLogEntry`).
"""

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappa.accounts.models import Role
from trappa.audit import chain


class CareRelationshipKind(models.TextChoices):
    WORKLIST = "worklist", _("On the worklist")
    REFERRAL = "referral", _("Referred to the unit")
    ENROLLMENT = "enrollment", _("Enrolled in an offering")
    CASE = "case", _("Case at the service office")
    CAREGIVER_FOLLOW_UP = "caregiver_follow_up", _("Caregiver follow-up")
    COORDINATOR = "coordinator", _("Coordinator or responsibility group")


class CareRelationshipQuerySet(models.QuerySet):
    def current(self):
        now = timezone.now()
        return self.filter(started_at__lte=now).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))

    def for_user(self, user):
        """Relationships that give this user access: their own, or their unit's."""
        q = Q(user=user)
        if user.unit_id:
            q |= Q(unit_id=user.unit_id, user__isnull=True)
        return self.filter(q)


class CareRelationship(models.Model):
    """Why a member of staff may see a person.

    Every feature that puts a person in front of staff (a worklist, a referral to
    a unit, an enrollment in an offering, a case at the service office) records a
    care relationship here, held either by one user or by a whole unit. The
    access helpers grant access through these rows only, besides emergency
    access. When a person dies or moves out, active relationships are ended.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_relationships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="care_relationships"
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="care_relationships"
    )
    kind = models.CharField(max_length=30, choices=CareRelationshipKind.choices)
    # What created it, for the access log's "why": e.g. "referral:12".
    source = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    objects = CareRelationshipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(unit__isnull=False), name="care_relationship_has_holder"
            )
        ]
        indexes = [models.Index(fields=["person", "ended_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.source})" if self.source else self.get_kind_display()


class EmergencyCategory(models.TextChoices):
    """Why the glass was broken, from a list (with the free-text reason beside it)."""

    ACUTE = "acute", _("Acute situation")
    ASKED_FOR_HELP = "asked_for_help", _("The person asked for help")
    RELATIVE_CALLED = "relative_called", _("A relative or caregiver contacted us about the person")
    NOT_YET_REGISTERED = "not_yet_registered", _("A referral or request not yet registered")
    OTHER = "other", _("Other")


class EmergencyAccessQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(granted_at__lte=now, expires_at__gt=now)


class EmergencyAccess(models.Model):
    """'Break the glass': access outside a care relationship, with a reason.

    It expires, and every use is flagged in the access log and on the unit
    leader's review page.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="emergency_accesses")
    category = models.CharField(_("category"), max_length=30, choices=EmergencyCategory.choices, blank=True)
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]

    @property
    def is_active(self):
        return self.granted_at <= timezone.now() < self.expires_at


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    CHANGE = "change", _("Changed")
    CREATE = "create", _("Created")
    EXPORT = "export", _("Exported or printed")


class AccessReason(models.TextChoices):
    CARE_RELATIONSHIP = "care_relationship", _("Care relationship")
    EMERGENCY = "emergency", _("Emergency access")


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log cannot be changed")

    def delete(self):
        raise PermissionError("The access log cannot be deleted")

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            _link(objs, self.db)
            return super().bulk_create(objs, *args, **kwargs)


# Any constant: the advisory lock that lets one transaction at a time extend the chain.
CHAIN_LOCK = 0x7A7070615F6C6F67  # "zppa_log"


def _link(entries, using):
    """Give `entries` the next places in the hash chain. Call inside a transaction, then insert them.

    On PostgreSQL a transaction-scoped advisory lock makes concurrent writers
    take turns, so two requests never link to the same previous entry; it is
    held until the inserting transaction ends. SQLite writes one at a time anyway.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    seq, previous = chain_head(using)
    for entry in entries:
        seq += 1
        entry.seq = seq
        entry.chain_hash = chain.entry_hash(entry, previous)
        previous = entry.chain_hash


def chain_head(using="default"):
    """(seq, hash) of the newest entry, or of the last one retention removed, or (0, GENESIS)."""
    head = AccessLogEntry.objects.using(using).order_by("-seq").values_list("seq", "chain_hash").first()
    if head is None:
        head = (
            AccessLogRetention.objects.using(using).order_by("-last_seq").values_list("last_seq", "last_hash").first()
        )
    return head or (0, chain.GENESIS)


class AccessLogEntry(models.Model):
    """Who saw or changed which person's data, when, why, and from where.

    Append-only: saving an existing entry or deleting one raises, and on
    PostgreSQL a trigger refuses UPDATE and DELETE as well. User details are
    copied at the time of access so the entry stays true if the user changes.
    Tamper-evident: each entry is a link of a hash chain (trappa/audit/chain.py)
    that `manage.py verify_access_log` checks.
    """

    # The entry's place in the chain: 1, 2, 3 ... without gaps (unlike the id,
    # which a rolled-back transaction skips), and its HMAC over the previous
    # entry's hash and its own content.
    seq = models.BigIntegerField(unique=True, editable=False)
    chain_hash = models.CharField(max_length=64, editable=False)

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=30)
    unit_name = models.CharField(max_length=200, blank=True)
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="access_log")
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    # What was shown or changed, in words: "person page", "home visit 12" ...
    what = models.CharField(max_length=300)
    reason = models.CharField(max_length=20, choices=AccessReason.choices)
    # The care relationship ("Referred to the unit (referral:12)") or the
    # emergency reason as the user wrote it.
    reason_detail = models.TextField(blank=True)
    # The care relationship that granted access, if any: the review page counts
    # persons opened through anything but the user's worklist.
    care_relationship = models.ForeignKey(
        CareRelationship, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    emergency_access = models.ForeignKey(EmergencyAccess, on_delete=models.PROTECT, null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"]), models.Index(fields=["user", "at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log cannot be changed")
        using = kwargs.get("using") or "default"
        with transaction.atomic(using=using):
            _link([self], using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log cannot be deleted")

    @property
    def role_label(self):
        return dict(Role.choices).get(self.role, self.role)

    @property
    def is_emergency(self):
        return self.reason == AccessReason.EMERGENCY


class AccessLogRetention(models.Model):
    """What `manage.py apply_log_retention` removed from the access log: a sealed summary.

    The first entry left in the log links to `last_hash`, so the chain still
    verifies from here; the seal (an HMAC with the access log key over the
    other fields) shows whether this row was changed or made up. Append-only
    like the log (a trigger on PostgreSQL). A copy is written to the digest folder.
    """

    removed_at = models.DateTimeField(default=timezone.now)
    # Entries logged before this moment were due for removal.
    cutoff = models.DateTimeField()
    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField(unique=True)
    count = models.BigIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    last_hash = models.CharField(max_length=64)
    seal = models.CharField(max_length=64)

    class Meta:
        ordering = ["last_seq"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A retention summary cannot be changed")
        super().save(*args, **kwargs)

    def summary(self):
        """The sealed content, as written to the digest folder."""
        return {
            "kind": "access-log-retention",
            "removed_at": chain.canonical(self.removed_at),
            "cutoff": chain.canonical(self.cutoff),
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "count": self.count,
            "first_at": chain.canonical(self.first_at),
            "last_at": chain.canonical(self.last_at),
            "last_hash": self.last_hash,
        }

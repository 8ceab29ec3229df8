from trappa.accounts.models import Role

# Who refers and follows referrals: nurses, therapists, the service office, unit leaders, the caregiver coordinator.
REFERRAL_ROLES = (Role.NURSE, Role.THERAPIST, Role.CASEWORKER, Role.UNIT_LEADER, Role.CAREGIVER_COORDINATOR)

# Who sees the groups and courses and their participants.
GROUP_ROLES = (Role.NURSE, Role.THERAPIST, Role.COURSE_LEADER, Role.CASEWORKER, Role.UNIT_LEADER)

# Who starts a new group or course (no personal data on that page).
GROUP_CREATORS = (Role.UNIT_LEADER, Role.COURSE_LEADER, Role.THERAPIST, Role.NURSE)

# Who keeps a course's fees: the course leader, and the unit leader standing in.
FEE_ROLES = (Role.COURSE_LEADER, Role.UNIT_LEADER)

# Who opens a person's referrals and enrollments, and an offering's waitlist: the referrers,
# and the course leader, whose participants they are (the enrollment is the care relationship)
# and who enrolls from the waitlist or a referral.
PARTICIPANT_ROLES = (*REFERRAL_ROLES, Role.COURSE_LEADER)

from trappa.accounts.models import Role

# Who organises volunteers: the caregiver coordinator, unit leaders, course leaders and the
# physiotherapists who supervise the instructors, and nurses who match visiting friends.
ORGANISERS = (Role.CAREGIVER_COORDINATOR, Role.UNIT_LEADER, Role.COURSE_LEADER, Role.THERAPIST, Role.NURSE)

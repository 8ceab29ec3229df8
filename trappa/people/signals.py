from django.dispatch import Signal

follow_up_ended = Signal()  # sent with person=, reason=, date=

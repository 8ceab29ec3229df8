"""Small-count suppression for aggregate pages.

A count of a few persons can point at someone ("the two who declined the home
visit in Elsfjord"), so aggregate pages hide counts of 1 to
`settings.SMALL_COUNT_THRESHOLD` − 1, and every other number on the page that
would let a hidden count be worked out again. Zero is shown: it names nobody.
"""


def is_small(count, threshold):
    """True for 1 to threshold − 1 persons."""
    return 0 < count < threshold

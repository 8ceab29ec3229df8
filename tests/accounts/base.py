from django.test import Client

from trappa.test import BaseTestCase


class EnglishClient(Client):
    """Asks for English pages, so the tests read the source strings whatever translations exist."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        super().__init__(*args, **kwargs)


class AccountsTestCase(BaseTestCase):
    client_class = EnglishClient

def urls_for_accessibility_tests():
    """Concrete public catalogue URLs (one offering page per municipality, every entry page).

    Imported late: this package is imported while Django registers apps, before
    models (which the views module needs) can be loaded.
    """
    from trappa.catalogue.views import urls_for_accessibility_tests as urls

    return urls()

import os

os.environ.setdefault("TRAPPA_TESTING", "1")
os.environ.setdefault("TRAPPA_TASKS", "immediate")
os.environ.setdefault("TRAPPA_ALLOW_SYNTHETIC_IDS", "true")

"""The REST API for machine clients (journal systems, the register): see docs/api.md."""

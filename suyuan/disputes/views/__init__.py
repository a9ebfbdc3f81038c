"""Page views of the disputes app, split by concern: ``pages`` (workbench, intake, detail) and
``imports`` (batch filing)."""

from portal.blueprints.sops import bp, models  # noqa: F401

"""Admin for the public site (the settings register themselves with @register_setting)."""

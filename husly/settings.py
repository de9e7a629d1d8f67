"""Placeholder settings; replaced by the foundation work."""
SECRET_KEY = "dev-placeholder"
INSTALLED_APPS: list[str] = []
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True

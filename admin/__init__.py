"""The web admin of coopcore (Flask-Admin, in Chinese by default): `create_app(config)` builds it."""

from admin.app import create_app

__all__ = ["create_app"]

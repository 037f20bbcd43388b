"""Shipped router model files (installed as headroom_middleware.models)."""

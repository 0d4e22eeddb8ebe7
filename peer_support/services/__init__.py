"""Frappe glue that applies the decisions of ``peer_support.core`` to documents."""

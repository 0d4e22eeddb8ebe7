"""Business rules of peer support as plain Python.

Nothing in this package imports frappe: the rules are decided here on plain values and applied by
the Frappe glue (doctype controllers, ``services``, ``api``). The unit tier tests them in milliseconds.
"""

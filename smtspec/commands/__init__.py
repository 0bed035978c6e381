"""Commands: each takes an options dataclass and returns a typed report with ``to_json()``.

The command line (``smtspec.cli``) only parses flags into options, calls one of these and
renders the report; tests call them in process.
"""

"""smtspec: bounded model checking and k-induction for TLA+ protocol specifications."""

__version__ = "0.1.0"

"""Specification encodings shipped as ``smtspec.encodings``: one package per specification."""

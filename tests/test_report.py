"""The results table: Markdown rows, and the README section between the markers."""

from __future__ import annotations

import pytest

from smtspec import report
from smtspec.encodings.parallel_raft import SPEC


def test_markdown_has_one_row_per_invariant_and_names_the_command():
    rows = [report.Row("Lemma1", "proved", 1, 1, 0.5, "none up to depth 4", "proofs/x.toml", "3 (also at +1)")]
    text = report.markdown(SPEC, rows, "servers=3", "smtspec report --k 1")
    assert "| Lemma1 | proved | 1 | 3 (also at +1) | 1 | 0.5 | none up to depth 4 | proofs/x.toml |" in text
    assert "`smtspec report --k 1`" in text


def test_update_readme_replaces_only_the_marked_section(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{report.BEGIN}\nold\n{report.END}\noutro\n")
    report.update_readme(readme, "new table\n")
    assert readme.read_text() == f"intro\n{report.BEGIN}\nnew table\n{report.END}\noutro\n"


def test_update_readme_refuses_a_readme_without_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("no markers")
    with pytest.raises(ValueError, match="lacks the markers"):
        report.update_readme(readme, "x")

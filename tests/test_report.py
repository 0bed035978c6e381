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
    report.update_readme(readme, {"a": "table a\n", "b": "table b\n"}, every_spec=True)
    a, b = report.marked("a", "table a\n"), report.marked("b", "table b\n")
    assert readme.read_text() == f"intro\n{report.BEGIN}\n{a}\n{b}{report.END}\noutro\n"


def test_a_report_of_one_spec_replaces_only_that_specs_table(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"{report.BEGIN}\nold\n{report.END}\n")
    report.update_readme(readme, {"a": "table a\n", "b": "table b\n"}, every_spec=True)
    report.update_readme(readme, {"b": "new b\n"}, every_spec=False)
    text = readme.read_text()
    assert "table a" in text and "new b" in text and "table b" not in text


def test_a_report_of_one_spec_refuses_a_readme_without_its_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"{report.BEGIN}\nboth tables\n{report.END}\n")
    with pytest.raises(ValueError, match="has no markers <!-- results:b:begin -->"):
        report.update_readme(readme, {"b": "new b\n"}, every_spec=False)
    assert "both tables" in readme.read_text()


def test_update_readme_refuses_a_readme_without_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("no markers")
    with pytest.raises(ValueError, match="lacks the markers"):
        report.update_readme(readme, {"a": "x"}, every_spec=True)


def reach_file(tmp_path, runs):
    import json

    f = tmp_path / "reach.json"
    f.write_text(json.dumps({"reach": runs}))
    return f


def test_deepest_depth_is_the_median_of_the_recorded_runs(tmp_path):
    runs = [{"spec": "parallel-raft", "lemma": "Lemma3", "budget": 600, "verdict": "unknown", "bound": b + 1,
             "covered": b} for b in (12, 14, 13)]
    cells = report.depth_summaries([reach_file(tmp_path, runs)])
    assert cells[("parallel-raft", "Lemma3")] == "none up to depth 13 in 600 s (alone, median of 3 runs)"


def test_a_run_of_several_lemmas_together_gives_each_its_depth_and_a_counterexample_wins(tmp_path):
    each = {"A": {"verdict": "no-violation", "bound": 30, "covered": 30},
            "B": {"verdict": "refuted", "bound": 7, "covered": 6}}
    runs = [{"spec": "s", "lemma": "A,B", "budget": 60, "verdict": "no-violation", "bound": 30, "covered": 30,
             "each": each}]
    cells = report.depth_summaries([reach_file(tmp_path, runs)])
    assert cells[("s", "A")] == "none up to depth 30 (the depth asked for) in 60 s (all invariants on one solver, 1 run)"
    assert cells[("s", "B")] == "counterexample of 7 steps"


def test_markdown_adds_the_deepest_depth_column_only_when_recorded():
    rows = [report.Row("Lemma1", "proved", 1, 1, 0.5, "none up to depth 4", "p.toml", "3", "none up to depth 30")]
    text = report.markdown(SPEC, rows, "servers=3", "smtspec report")
    assert "| deepest BMC (recorded runs) |" in text and "| none up to depth 30 | p.toml |" in text


def test_an_interrupted_report_writes_nothing_into_the_readme(tmp_path, monkeypatch, capsys):
    """Ctrl-C during the report's queries: exit 3, and the README keeps its old table."""
    from smtspec.cli import main
    from smtspec.solving import Interrupted

    readme = tmp_path / "README.md"
    readme.write_text(f"{report.BEGIN}\nold table\n{report.END}\n")
    readme.chmod(0o644)

    def interrupted(*a, **k):
        raise Interrupted()

    monkeypatch.setattr(report, "rows", interrupted)
    code = main(["report", "--k", "1", "--depth", "0", "--update-readme", str(readme)])
    assert code == 3 and "interrupted" in capsys.readouterr().err
    assert readme.read_text() == f"{report.BEGIN}\nold table\n{report.END}\n" and readme.stat().st_mode & 0o777 == 0o644

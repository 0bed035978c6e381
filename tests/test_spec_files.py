"""The TLA+ modules in specs/: plain ASCII, well-formed, and in step with the encodings.

Each ``specs/*.tla`` is pure ASCII, parses with the tree-sitter TLA+ grammar the TLA+ front
end uses (no ERROR or MISSING node), and is named after its file. Every invariant and action
the encoding declares (``registry.get(spec).invariant_names`` / ``.action_names``) is an
operator of the module that holds it, and the actions are the ones ``Next`` takes. The
definitions the encoding's ``lemmas.tla`` shares with a module are the same syntax tree
(comments and layout aside), except where a module keeps the seed's text and lemmas.tla
records the encoding's reading (listed in ``KEPT_AS_WRITTEN``). The OCR corrections and seed
defects of MODELING.md are marked where they occur.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smtspec import registry
from smtspec.tla.parse import parse_text

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
ENCODINGS = ROOT / "encodings"

RAFT = SPECS / "ParallelRaftCE.tla"
PROPOSAL = SPECS / "Proposal.tla"
ENVIRONMENT = SPECS / "ProposalEnvironment.tla"
TEST_STUB = SPECS / "Test.tla"
EXPECTED_FILES = {RAFT, PROPOSAL, ENVIRONMENT, TEST_STUB}

COMMENTS = ("comment", "block_comment")

# The module that defines each invariant of a spec.
INVARIANT_MODULE = {"parallel-raft": RAFT, "onos-config": ENVIRONMENT}

# onos-config's actions are named Module.Action after the modules of the original model; the
# seed's Proposal actions are in Proposal.tla, the environment's in ProposalEnvironment.tla.
ONOS_ACTION_MODULE = {
    "Proposal": PROPOSAL,
    "Transaction": ENVIRONMENT,
    "Configuration": ENVIRONMENT,
    "Mastership": ENVIRONMENT,
    "Target": ENVIRONMENT,
}

# Definitions whose seed text the module keeps (a SEED DEFECT) and lemmas.tla reads otherwise.
KEPT_AS_WRITTEN = {
    "TypeSafety",  # the seed's endPoint record/pair shapes and allLogs \in SUBSET (SUBSET allEntries)
    "Entries",  # the seed's Term \cup {-1} for field types; lemmas.tla writes Nat (Term is Nat)
}


# --------------------------------------------------------------------------- helpers


class Module:
    """A parsed specs/*.tla file: its tree and its top-level units by name."""

    def __init__(self, path: Path):
        self.path = path
        self.text = path.read_text(encoding="ascii")
        self.source = parse_text(self.text, path.name)  # raises TLAError on a syntax error
        self.root = self.source.tree.root_node
        modules = [c for c in self.root.named_children if c.type == "module"]
        assert len(modules) == 1, f"{path.name}: expected one module"
        self.module = modules[0]
        self.name = self.module.child_by_field_name("name").text.decode()
        self.operators: dict[str, object] = {}  # name -> operator_definition node
        self.units: dict[str, object] = {}  # name -> the top-level unit (for its comments)
        for unit in self.module.named_children:
            inner = unit.named_children[0] if unit.type == "local_definition" else unit
            if inner.type in ("operator_definition", "module_definition"):
                name = inner.child_by_field_name("name").text.decode()
                assert name not in self.units, f"{path.name}: {name} is defined twice"
                self.units[name] = unit
                if inner.type == "operator_definition":
                    self.operators[name] = inner

    def comments_of(self, unit) -> str:
        """The comment lines directly above a top-level unit, and the comments inside it.

        Read from the text: the grammar attaches the comments between two definitions to the
        end of the first one."""
        lines = self.text.split("\n")
        row, above = unit.start_point[0] - 1, []
        while row >= 0 and lines[row].lstrip().startswith(("\\*", "(*")):
            above.append(lines[row])
            row -= 1
        code_rows = [n.end_point[0] for n in _walk(unit) if not n.children and n.type not in COMMENTS]
        inside = [n.text.decode() for n in _walk(unit) if n.type in COMMENTS and n.start_point[0] <= max(code_rows)]
        return "\n".join(above[::-1] + inside)

    def references(self, name: str) -> set[str]:
        """The names a definition's body refers to (operators, variables, instances)."""
        body = self.operators[name].child_by_field_name("definition")
        return {n.text.decode().split("!")[0] for n in _walk(body) if n.type == "identifier_ref"}


def _walk(node):
    yield node
    for c in node.children:
        yield from _walk(c)


def shape(node) -> str:
    """The syntax tree of ``node`` without comments and layout: node kinds and token texts."""
    kids = [c for c in node.children if c.type not in COMMENTS]
    if not kids:
        return node.text.decode()
    return "(" + node.type + " " + " ".join(shape(c) for c in kids) + ")"


def definition_shape(op) -> str:
    params = [p.text.decode() for p in op.children_by_field_name("parameter")]
    return f"({', '.join(params)}) == {shape(op.child_by_field_name('definition'))}"


def load(path: Path) -> Module:
    return Module(path)


SPEC_FILES = sorted(SPECS.glob("*.tla"))


# --------------------------------------------------------------------------- every file


def test_the_expected_files_are_there():
    assert EXPECTED_FILES <= set(SPEC_FILES), sorted(p.name for p in EXPECTED_FILES - set(SPEC_FILES))
    assert (SPECS / "README.md").is_file()


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.name)
def test_file_is_pure_ascii(path: Path):
    data = path.read_bytes()
    bad = [(n + 1, line) for n, line in enumerate(data.split(b"\n")) if any(b > 127 for b in line)]
    assert not bad, f"{path.name}: non-ASCII on line(s) {[n for n, _ in bad]}"
    assert b"\t" not in data, f"{path.name}: tabs shift the columns that /\\ and \\/ lists depend on"


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.name)
def test_file_parses_without_error_or_missing_nodes(path: Path):
    m = load(path)
    bad = [(n.type if not n.is_missing else f"MISSING {n.type}", n.start_point[0] + 1)
           for n in _walk(m.root) if n.type == "ERROR" or n.is_missing]
    assert not bad, f"{path.name}: {bad[:5]}"
    assert not m.root.has_error


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.name)
def test_module_name_is_the_file_name(path: Path):
    assert load(path).name == path.stem


# --------------------------------------------------------------------------- the encodings' names


@pytest.mark.parametrize("spec", sorted(INVARIANT_MODULE))
def test_every_invariant_of_the_encoding_is_an_operator(spec: str):
    m = load(INVARIANT_MODULE[spec])
    names = registry.get(spec).invariant_names
    assert names, spec
    missing = [n for n in names if n not in m.operators]
    assert not missing, f"{m.path.name} does not define {missing}"


def test_every_parallel_raft_action_is_an_operator_and_a_disjunct_of_next():
    m = load(RAFT)
    actions = registry.get("parallel-raft").action_names
    assert len(actions) == 14
    missing = [a for a in actions if a not in m.operators]
    assert not missing, f"{m.path.name} does not define {missing}"
    in_next = m.references("Next")
    assert set(actions) <= in_next, sorted(set(actions) - in_next)
    # SEED DEFECT kept: CommitEntry is defined and is not a disjunct of Next.
    assert "CommitEntry" in m.operators and "CommitEntry" not in in_next


def test_every_onos_config_action_is_an_operator_of_its_module():
    modules = {path: load(path) for path in set(ONOS_ACTION_MODULE.values())}
    actions = registry.get("onos-config").action_names
    assert actions
    for qualified in actions:
        prefix, name = qualified.split(".", 1)
        assert prefix in ONOS_ACTION_MODULE, f"no module for {qualified}"
        m = modules[ONOS_ACTION_MODULE[prefix]]
        assert name in m.operators, f"{m.path.name} does not define {name} ({qualified})"
    # ... and Next takes them: the environment's directly, the seed's through ReconcileProposal.
    env, proposal = modules[ENVIRONMENT], modules[PROPOSAL]
    in_next = env.references("Next")
    in_reconcile = proposal.references("ReconcileProposal")
    for qualified in actions:
        prefix, name = qualified.split(".", 1)
        where = in_reconcile if prefix == "Proposal" else in_next
        assert name in where, qualified
    assert "ReconcileProposal" in in_next
    assert "Proposal" in env.references("ReconcileProposal")  # Proposal!ReconcileProposal


def test_the_environment_instantiates_the_seed():
    env = load(ENVIRONMENT)
    instance = env.units["Proposal"]
    assert instance.type == "module_definition"
    assert " ".join(instance.text.decode().split()) == "Proposal == INSTANCE Proposal"
    assert " ".join(env.operators["ProposalTypeOK"].text.decode().split()) == "ProposalTypeOK == Proposal!TypeOK"


# --------------------------------------------------------------------------- lemmas.tla


def _lemmas(spec_dir: str) -> Module:
    return load(ENCODINGS / spec_dir / "lemmas.tla")


def test_parallel_raft_lemmas_are_the_transcription_in_lemmas_tla():
    spec, lemmas = load(RAFT), _lemmas("parallel_raft")
    shared = set(spec.operators) & set(lemmas.operators)
    invariants = set(registry.get("parallel-raft").invariant_names)
    assert invariants <= shared
    differ = {n for n in shared if definition_shape(spec.operators[n]) != definition_shape(lemmas.operators[n])}
    assert differ == KEPT_AS_WRITTEN, (
        f"differ from lemmas.tla: {sorted(differ - KEPT_AS_WRITTEN)}; "
        f"now equal (drop from KEPT_AS_WRITTEN): {sorted(KEPT_AS_WRITTEN - differ)}")
    # what the lemmas are built from is shared too
    assert {"Quorums", "Min", "Max", "logTail", "AllEntries"} <= shared


# lemmas.tla defines everything in one module; the seed's TypeOK is its ProposalTypeOK.
ONOS_LEMMA_HOME = {"ProposalTypeOK": (PROPOSAL, "TypeOK"), "Phase": (PROPOSAL, "Phase"), "Status": (PROPOSAL, "Status")}


def test_onos_config_invariants_are_the_transcription_in_lemmas_tla():
    lemmas = _lemmas("onos_config")
    modules = {ENVIRONMENT: load(ENVIRONMENT), PROPOSAL: load(PROPOSAL)}
    assert set(registry.get("onos-config").invariant_names) <= set(lemmas.operators)
    for name, op in lemmas.operators.items():
        path, here = ONOS_LEMMA_HOME.get(name, (ENVIRONMENT, name))
        m = modules[path]
        assert here in m.operators, f"{path.name} does not define {here} (lemmas.tla's {name})"
        assert definition_shape(m.operators[here]) == definition_shape(op), (
            f"{path.name}'s {here} differs from lemmas.tla's {name}")


# --------------------------------------------------------------------------- markers


# What the scan says, for each OCR correction MODELING.md lists, and the file that fixes it.
OCR_CORRECTIONS = [
    (RAFT, "m.msyntax"),
    (RAFT, "m.type"),
    (RAFT, "m.msourceIN"),
    (RAFT, "\\triangleq"),
    (RAFT, "\\mapsto"),
    (PROPOSAL, "In Progress"),
    (PROPOSAL, "Constant Nil"),
    (PROPOSAL, "Constant Node"),
    (PROPOSAL, "Variable history"),
    (PROPOSAL, "[configuration EXCEPT !.committed.index]"),
    (PROPOSAL, "[configuration EXCEPT !.applied.index]"),
    (PROPOSAL, "\\stackrel{\\triangle}{=}"),
]


@pytest.mark.parametrize("path, scanned", OCR_CORRECTIONS, ids=lambda x: getattr(x, "name", x))
def test_ocr_corrections_of_modeling_md_are_marked(path: Path, scanned: str):
    lines = [line for line in path.read_text(encoding="ascii").splitlines() if "\\* OCR" in line]
    assert any(scanned in line and "->" in line for line in lines), f"{path.name}: no OCR: mark for {scanned!r}"


def test_every_ocr_mark_says_what_became_what():
    for path in (RAFT, PROPOSAL):
        for n, line in enumerate(path.read_text(encoding="ascii").splitlines(), 1):
            if "\\* OCR" in line:
                assert "->" in line, f"{path.name}:{n}: an OCR: mark is '<scan> -> <written here> (reason)'"


# Definitions (or declarations) each seed defect of MODELING.md is marked at.
SEED_DEFECTS = [
    (RAFT, "CommitEntry"),  # assigns log' and lists log in UNCHANGED
    (RAFT, "Next"),  # CommitEntry not a disjunct; allLogs/allEntries from pre-state logs
    (RAFT, "Lemma2"),  # Lemma2 = Lemma6
    (RAFT, "Lemma6"),
    (RAFT, "TypeSafety"),  # two endPoint shapes; logs vs sets of pairs
    (PROPOSAL, "Status"),  # no Aborted
    (PROPOSAL, "TypeOK"),
    (ENVIRONMENT, "ProposalTypeOK"),
]


@pytest.mark.parametrize("path, name", SEED_DEFECTS, ids=lambda x: getattr(x, "name", x))
def test_seed_defects_of_modeling_md_are_marked_and_kept(path: Path, name: str):
    m = load(path)
    assert "SEED DEFECT:" in m.comments_of(m.units[name]), f"{path.name}: {name} has no SEED DEFECT: mark"


def test_unsent_message_types_are_declared_and_marked():
    m = load(RAFT)
    decls = [u for u in m.module.named_children if u.type == "constant_declaration"
             and "RequestCommitRequest" in u.text.decode()]
    assert len(decls) == 1
    assert "SEED DEFECT:" in m.comments_of(decls[0])
    # declared, never sent: no definition mentions them
    used = {n.text.decode() for op in m.operators.values() for n in _walk(op) if n.type == "identifier_ref"}
    assert not {"RequestCommitRequest", "RequestCommitResponse"} & used

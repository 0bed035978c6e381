"""The onos-config Z3 encoding against the independent concrete interpreter and TLC's log.

1. Successor sets: on states of seeded random walks and on random well-typed states
   (biased so that rare branches fire), the successors the Z3 transition relation admits
   equal the interpreter's, as a whole and rule family by rule family (branch labels are
   shared, so a disagreement names its branch). ``smtspec.explore.successors`` is the
   reference enumerator; :class:`smtspec.conform.StepOracle` (transition encoded once,
   values as assumptions) is checked against it and then used for the larger samples.
2. Invariants: each Z3 invariant agrees with the interpreter's on sampled states.
3. Depths: at a small scope, BMC's shortest violation depth of every invariant (and of
   a few reachability probes) equals the breadth-first search depth of the interpreter.
4. Sequence bounds: no reachable step within a few steps is cut off by a maximum length.
5. A mutated action is caught; a BMC trace replays with the interpreter's action names.
6. ``smtspec.conform`` on TLC's sample, on a complete log built from the interpreter
   (exact mode), and on a damaged log.
"""

from __future__ import annotations

import functools
import gzip
import json
import itertools
import random
from dataclasses import replace
from pathlib import Path

import pytest
import z3

from conftest import scaled
from smtspec import explore, unroll
from smtspec.conform import StepOracle, conform
from smtspec.coverage import one_step_queries
from smtspec.encodings.onos_config import SPEC, InterpreterView, history_bound
from smtspec.encodings.onos_config import interpreter as onos
from smtspec.encodings.onos_config import tlclog
from smtspec.encodings.onos_config.actions import BRANCHES
from smtspec.engine import bmc
from smtspec.replay import replay
from smtspec.scope import Scope
from smtspec.system import Effect, Invariant, View
from smtspec.trace import read as read_trace
from smtspec.trace import write as write_trace
from smtspec.unroll import concrete, encode_action, holds, initial, literal_guard, trans
from smtspec.values import Fn, Rec
from smtspec.verdict import Verdict

S = SPEC.scope()
VIEW = InterpreterView()



SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "oracles" / "onos-proposal-tlc-sample.jsonl.gz"
TINY = {"values": 1, "transactions": 2, "terms": 1, "conns": 1, "starts": 1}


@functools.lru_cache(maxsize=4)
def system_at(scope: Scope):
    return SPEC.build(scope)


@functools.lru_cache(maxsize=4)
def oracle_at(scope: Scope) -> StepOracle:
    return StepOracle(system_at(scope))


def fits(system, state) -> bool:
    """Every variable's value is in its sort (only a too-long sequence can fail this)."""
    return all(v.sort.contains(state[v.name]) for v in system.vars)


def expected_successors(state, scope) -> set:
    system = system_at(scope)
    return {s for s in onos.successors(state, scope) if fits(system, s)}


# --------------------------------------------------------------------------- states

def walk_states(scope, walks, length, seed) -> list:
    rng = random.Random(seed)
    out = [onos.initial_state(scope)]
    for _ in range(walks):
        out += [s for _, _, s in onos.random_walk(scope, length, rng)]
    return out


def random_state(rng: random.Random, scope) -> Rec:
    """A random well-typed state inside the state constraints, biased towards the values
    that enable guards (node1 master, indexes next to the proposal indexes, ...)."""
    T = scope.transactions
    nodes, paths, values = list(onos.nodes(scope)), list(onos.paths(scope)), list(onos.values(scope))
    tx_status = ["Pending", "InProgress", "Complete", "Aborted", "Failed"]
    phases, states = ["<nil>", "Commit", "Apply"], ["<nil>", "Pending", "InProgress", "Complete", "Aborted", "Failed"]
    idx = lambda: rng.randint(0, T)  # noqa: E731

    def vmap(nil_ok=False):
        return Fn({p: Rec(index=idx(), value=rng.choice(values + (["<nil>"] if nil_ok else [])))
                   for p in paths if rng.random() < 0.6})

    combos = [("InProgress", "Pending", "Pending"), ("Complete", "Pending", "Pending"),
              ("Complete", "InProgress", "Pending"), ("Complete", "Complete", "Pending"),
              ("Complete", "Complete", "InProgress"), ("Complete", "Failed", "Pending"),
              ("Complete", "Aborted", "Pending"), ("Failed", "Pending", "Pending"),
              ("Aborted", "Pending", "Pending"), ("Complete", "InProgress", "InProgress")]

    def statuses():
        if rng.random() < 0.7:
            return dict(zip(("init", "commit", "apply"), rng.choice(combos)))
        return {f: rng.choice(tx_status) for f in ("init", "commit", "apply")}

    def tx():
        if rng.random() < 0.55:
            return Rec(type="Change", index=idx(), values=Fn({rng.choice(paths): rng.choice(values)}), **statuses())
        return Rec(type="Rollback", index=rng.randint(1, T), values=onos.EMPTY, **statuses())

    def prop():
        return Rec(change=Rec(phase=rng.choice(phases), state=rng.choice(states), values=vmap()),
                   rollback=Rec(phase=rng.choice(phases), state=rng.choice(states), revision=idx(), values=vmap(True)))

    props = tuple(prop() for _ in range(rng.randint(0, T)))
    n_p = len(props)
    near = lambda: max(0, min(T, rng.choice([n_p, n_p - 1, rng.randint(0, n_p), idx()])))  # noqa: E731
    term = rng.randint(0, scope.terms)
    master = rng.choice(nodes) if rng.random() < 0.75 or term == scope.terms else onos.NIL
    conns = {n: rng.randint(0, scope.conns) for n in nodes}
    conn = Fn({n: Rec(id=c, connected=c == scope.conns or rng.random() < 0.7) for n, c in conns.items()})
    tid = rng.randint(0, scope.starts)
    running = tid == scope.starts or rng.random() < 0.7
    c_index = near()
    a_index = near()
    cfg = Rec(state=rng.choice(["Pending", "InProgress", "Complete"]),
              term=rng.choice([term, rng.randint(0, scope.terms)]),
              committed=Rec(index=c_index, revision=rng.choice([c_index, near()]), values=vmap()),
              applied=Rec(index=a_index, revision=rng.choice([a_index, near()]),
                          target=rng.choice([tid, rng.randint(0, scope.starts)]), values=vmap()))
    mconn = rng.choice([conns[master] if master in conns else 0, rng.randint(0, scope.conns)])
    hist = tuple(Rec(type=rng.choice(["Change", "Rollback"]), phase=rng.choice(["Commit", "Apply"]),
                     index=rng.randint(1, T)) for _ in range(rng.randint(0, 4)))
    txs = [tx() for _ in range(rng.randint(0, T))]
    if txs and rng.random() < 0.6:  # the rules of transaction k need the earlier ones done
        k = rng.randrange(len(txs))
        txs[:k] = [onos.upd(t, init="Complete", commit=rng.choice(["Complete", "Complete", "Aborted", "Failed"]),
                            apply=rng.choice(["Complete", "Aborted", "Failed"])) for t in txs[:k]]
        if props and rng.random() < 0.8:
            txs[k] = onos.upd(txs[k], index=rng.randint(1, n_p))
    return Rec(transaction=tuple(txs), proposal=props, configuration=cfg,
               mastership=Rec(master=master, term=term, conn=mconn), conn=conn,
               target=Rec(id=tid, running=running, values=vmap()), history=hist)


def covering_states(per_label: int, seed: int, scope=S, tries: int = 60_000) -> list:
    """Random states chosen so that every branch label of the interpreter is enabled (with
    an in-model successor) in at least ``per_label`` of them: cheap to find with the
    interpreter, then few enough for the solver."""
    rng = random.Random(seed)
    labels = set(BRANCHES.names) | {"RequestChange", "RequestRollback", "Connect", "Disconnect", "Start", "Stop"}
    count = dict.fromkeys(labels, 0)
    out = []
    for _ in range(tries):
        st = random_state(rng, scope)
        got = {b for _, _, b, nxt in VIEW.labelled_instances(st, scope) if onos.in_model(nxt, scope)}
        if any(count[b] < per_label for b in got):
            out.append(st)
            for b in got:
                count[b] += 1
        if all(c >= per_label for c in count.values()):
            break
    return out


def random_states(count, seed, scope=S) -> list:
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        st = random_state(rng, scope)
        assert onos.in_model(st, scope)
        out.append(st)
    return out


# --------------------------------------------------------------------------- sequence bounds

def test_sequence_bounds_follow_the_derivation():
    assert [history_bound(t) for t in range(1, 7)] == [2, 4, 6, 10, 12, 20]
    sch = system_at(S).context
    assert sch.transactions.max_len == sch.proposals.max_len == S.transactions == 4
    assert sch.history.max_len == 10


@pytest.mark.slow
def test_no_reachable_step_is_cut_off_by_a_sort_within_a_few_steps():
    """Proved by BMC to depth D: no state reachable in D steps enables an action whose
    update is outside the sorts while the successor satisfies the state constraints.
    (Beyond D the history bound rests on the hand proof in schema.history_bound.)"""
    system = system_at(S)
    depth = scaled(4, 8)
    s = z3.SolverFor("QF_BV")
    u, c0 = initial(system)
    s.add(c0)
    psorts = system.param_sorts()
    for d in range(depth + 1):
        pre = u.states[d]
        for a in system.actions:
            params = {p.name: psorts[p.name].fresh(f"{p.name}@cut{d}") for p in a.params}
            eff = encode_action(system, a, pre, params)
            post = {**pre.values, **{n: x for n, x in eff.updates.items() if n not in a.unchanged}}
            ill = z3.Or([z3.Not(system.var[n].sort.wellformed(x)) for n, x in post.items()])
            s.push()
            s.add(*[psorts[n].wellformed(x) for n, x in params.items()], literal_guard(system, a, eff, pre), ill,
                  system.constraint(View(post)))
            assert s.check() == z3.unsat, f"{a.name} is cut off at depth {d}"
            s.pop()
        if d < depth:
            s.add(trans(u))


def test_only_appending_actions_can_leave_the_sorts_from_an_arbitrary_state():
    """From an arbitrary in-model state (induction), only a step that appends to a full
    sequence leaves the sorts with a successor still inside the state constraints: every
    other update stays in range by its own guard, and a sixth transaction is outside the
    model (Len(transaction) <= NumTransactions), so losing it cuts nothing off."""
    system = system_at(S)
    leaving = {a.name for a in system.actions if one_step_queries(system, a, None)[1]}
    assert leaving == {"Transaction.ReconcileTransaction", "Proposal.CommitChange", "Proposal.ApplyChange",
                       "Proposal.CommitRollback", "Proposal.ApplyRollback"}


# --------------------------------------------------------------------------- successors

def test_init_is_the_interpreter_initial_state_and_unique():
    system = system_at(S)
    u, c0 = initial(system)
    s = z3.SolverFor("QF_BV")
    s.add(c0)
    assert s.check() == z3.sat
    from smtspec.trace import decode_state
    from smtspec.unroll import equals_concrete

    st = decode_state(system, u.states[0], lambda t: s.model().eval(t, model_completion=True))
    assert st == onos.initial_state(S)
    s.add(z3.Not(equals_concrete(system, u.states[0], st)))
    assert s.check() == z3.unsat


def test_explore_successors_equal_interpreter_successors_on_walk_states():
    system = system_at(S)
    for st in walk_states(S, 2, 15, seed=3)[: scaled(8, 40)]:
        assert explore.successors(system, st) == expected_successors(st, S)


def test_step_oracle_enumerates_what_explore_enumerates():
    system, oracle = system_at(S), oracle_at(S)
    for st in random_states(scaled(4, 20), seed=5) + walk_states(S, 1, 20, seed=6)[-scaled(4, 20):]:
        assert oracle.successors(st) == explore.successors(system, st)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_z3_successors_equal_interpreter_successors_on_walk_states(seed):
    oracle = oracle_at(S)
    states = walk_states(S, 6, 60, seed)
    random.Random(seed).shuffle(states)
    for n, st in enumerate(states[: scaled(120, 800)]):
        missing, extra = oracle.compare(st, expected_successors(st, S))
        assert not missing and not extra, f"walk state {n}: {len(missing)} missing, {len(extra)} extra"


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 12])
def test_z3_successors_equal_interpreter_successors_on_random_typed_states(seed):
    oracle, system = oracle_at(S), system_at(S)
    cut = 0
    for n, st in enumerate(random_states(scaled(120, 1000), seed)):
        full = onos.successors(st, S)
        exp = {s for s in full if fits(system, s)}
        # the only successors outside the sorts: an append to a full sequence (unreachable states)
        for s in full - exp:
            cut += 1
            assert any(len(s[v]) > len(st[v]) for v in ("transaction", "proposal", "history"))
        missing, extra = oracle.compare(st, exp)
        assert not missing and not extra, f"random state {n}: {len(missing)} missing, {len(extra)} extra"


@functools.lru_cache(maxsize=2)
def branch_states(per_label: int) -> tuple:
    return tuple(covering_states(per_label, seed=21))


def test_random_states_exercise_every_branch():
    seen = set()
    for st in branch_states(scaled(2, 6)):
        seen |= {b for _, _, b, nxt in VIEW.labelled_instances(st, S) if onos.in_model(nxt, S)}
    labels = set(BRANCHES.names) | {"RequestChange", "RequestRollback", "Connect", "Disconnect", "Start", "Stop"}
    assert labels - seen == set()


FAMILIES = {
    "Change": ("Transaction.ReconcileTransaction", "Change."),
    "Rollback": ("Transaction.ReconcileTransaction", "Rollback."),
    "CommitChange": ("Proposal.CommitChange", "CommitChange."),
    "ApplyChange": ("Proposal.ApplyChange", "ApplyChange."),
    "CommitRollback": ("Proposal.CommitRollback", "CommitRollback."),
    "ApplyRollback": ("Proposal.ApplyRollback", "ApplyRollback."),
    "Configuration": ("Configuration.ReconcileConfiguration", "ReconcileConfiguration."),
    "Mastership": ("Mastership.ReconcileMastership", "ReconcileMastership."),
    "Requests": (None, "Request"),
    "Target": (None, ""),
}


@pytest.mark.slow
@pytest.mark.parametrize("family", list(FAMILIES))
def test_rule_family_successors_branch_by_branch(family):
    """Per (state, action, parameters, branch): the interpreter's successors of that branch
    equal Z3's with the same action and branch fixed; every branch of the family that the
    interpreter does not take is disabled in Z3 (on the first states)."""
    action, prefix = FAMILIES[family]
    oracle, system = oracle_at(S), system_at(S)
    states = list(branch_states(scaled(2, 6))) + random_states(scaled(20, 200), seed=31) + walk_states(S, 2, 60, 2)[::6]
    branch_of = {a.name: any(p.name == "branch" for p in a.params) for a in system.actions}
    mine = [b for b in BRANCHES.names if b.startswith(prefix)] if action else []
    checked = 0
    for n, st in enumerate(states):
        groups: dict = {}
        for a, params, b, nxt in VIEW.labelled_instances(st, S):
            in_family = (a == action and b.startswith(prefix)) if action else (
                a.startswith("Transaction.Request") if family == "Requests" else a.startswith("Target."))
            if in_family and onos.in_model(nxt, S) and fits(system, nxt):
                groups.setdefault((a, params, b), set()).add(nxt)
        if action and n < scaled(6, 30):  # the branches the interpreter does not take: none in Z3 either
            indexed = action.startswith(("Transaction.", "Proposal."))
            for nn in onos.nodes(S):
                for params in ([Rec(n=nn, i=i) for i in range(1, S.transactions + 1)] if indexed else [Rec(n=nn)]):
                    for b in mine:
                        groups.setdefault((action, params, b), set())
        for (a, params, b), exp in groups.items():
            ps = dict(params)
            if branch_of[a]:
                ps["branch"] = b
            missing, extra = oracle.compare(st, exp, ps, action=a)
            assert not missing and not extra, f"state {n}: {a} {dict(params)} {b}: {len(missing)} missing, {len(extra)} extra"
            checked += 1
    assert checked > 0


# --------------------------------------------------------------------------- invariants

def z3_value(system, name, state) -> bool:
    v = z3.simplify(holds(concrete(system, state), system.invariant(name), 0))
    assert z3.is_true(v) or z3.is_false(v), v
    return z3.is_true(v)


def invariant_probe_states() -> list:
    """Random states plus states made to break each invariant."""
    rng = random.Random(41)
    out = random_states(scaled(100, 800), seed=42) + walk_states(S, 2, 40, 43)[::3]
    for st in random_states(scaled(60, 300), seed=44):
        # tighten towards violations: a synchronised target, applied values carrying late indexes
        cfg = st.configuration
        tgt = onos.upd(st.target, running=True)
        cfg = onos.upd(cfg, state="Complete", applied=onos.upd(cfg.applied, target=tgt.id))
        out.append(onos.upd(st, configuration=cfg, target=tgt))
        hist = tuple(Rec(type=rng.choice(["Change", "Rollback"]), phase=rng.choice(["Commit", "Apply"]),
                         index=rng.randint(1, 3)) for _ in range(rng.randint(2, 10)))
        out.append(onos.upd(st, history=hist))
    return out


@pytest.fixture(scope="module")
def probe_states():
    return invariant_probe_states()


@pytest.mark.slow
@pytest.mark.parametrize("name", SPEC.invariant_names)
def test_invariant_agrees_with_the_interpreter(name, probe_states):
    system = system_at(S)
    results = []
    for n, st in enumerate(probe_states):
        want = bool(onos.INVARIANTS[name](st, S))
        assert z3_value(system, name, st) == want, f"{name} differs on probe state {n}"
        results.append(want)
    if name not in ("TransactionTypeOK", "ConfigurationTypeOK", "MastershipTypeOK"):
        assert True in results and False in results, f"{name}: the probes never make it {not results[0]}"


# --------------------------------------------------------------------------- depths


PROBES = {  # reachability questions: "never X", so BMC's counterexample depth is X's BFS depth
    "NeverHistory": (lambda s, v: s.history.length(v.history) == 0, lambda st: len(st.history) == 0),
    "NeverTwoProposals": (lambda s, v: s.proposals.length(v.proposal) < 2, lambda st: len(st.proposal) < 2),
    "NeverSynchronised": (lambda s, v: v.configuration["state"] != s.config_status.const("Complete"),
                          lambda st: st.configuration.state != "Complete"),
    "NeverCommitted": (lambda s, v: v.configuration["committed"]["index"] == 0,
                       lambda st: st.configuration.committed.index == 0),
    "NeverApplied": (lambda s, v: v.configuration["applied"]["index"] == 0,
                     lambda st: st.configuration.applied.index == 0),
}


def with_probes(system):
    s = system.context
    extra = tuple(Invariant(n, functools.partial(lambda f, v: f(s, v), f)) for n, (f, _) in PROBES.items())
    return replace(system, invariants=system.invariants + extra)


def bfs_first_depths(scope, checks: dict, max_depth: int) -> dict:
    return explore.first_failures(onos.initial_state(scope), lambda st: onos.successors(st, scope), checks, max_depth)


@pytest.mark.slow
def test_bmc_depths_equal_breadth_first_search_depths_at_a_tiny_scope():
    scope = SPEC.scope(TINY)
    system = with_probes(system_at(scope))
    depth = scaled(12, 20)
    checks = {n: functools.partial(lambda f, st: f(st, scope), f) for n, f in onos.INVARIANTS.items()}
    checks.update({n: g for n, (_, g) in PROBES.items()})
    expected = bfs_first_depths(scope, checks, depth)
    results = bmc(system, list(checks), depth)
    assert all(r.verdict in (Verdict.REFUTED, Verdict.NO_VIOLATION) for r in results.values())
    got = {n: r.bound for n, r in results.items() if r.verdict is Verdict.REFUTED}
    assert got == expected
    assert len(set(PROBES) & set(got)) >= 4  # probes are reached, so the comparison has teeth


# --------------------------------------------------------------------------- mutation, replay

def test_a_mutated_action_is_caught_by_the_differential_test():
    """CommitChange's valid branch mutated to leave committed.revision unchanged."""
    system = system_at(S)
    act = system.action("Proposal.CommitChange")

    def mutated(pre, params):
        eff = act.encode(pre, params)
        cfg = dict(eff.updates["configuration"])
        com = dict(cfg["committed"])
        com["revision"] = pre.configuration["committed"]["revision"]
        cfg["committed"] = com
        return Effect(eff.guard, {**eff.updates, "configuration": cfg})

    bad = replace(system, actions=tuple(replace(a, encode=mutated) if a is act else a for a in system.actions))
    oracle = StepOracle(bad)
    caught = 0
    for st in walk_states(S, 6, 60, 1):
        missing, extra = oracle.compare(st, expected_successors(st, S))
        caught += bool(missing or extra)
    assert caught > 0


def test_a_bmc_trace_replays_with_the_interpreter_names(tmp_path):
    system = with_probes(system_at(S))
    r = bmc(system, ["NeverHistory"], 12)["NeverHistory"]
    assert r.verdict is Verdict.REFUTED
    assert r.trace.steps[-1].action == "Proposal.CommitChange"
    assert r.trace.steps[-1].params["branch"] == "CommitChange.valid"
    path = tmp_path / "trace.itf.json"
    write_trace(r.trace, path)
    tr = read_trace(path)
    from smtspec.evaluate import evaluators

    rep = replay(tr, SPEC.interpreter(), S, evaluators(system, ["NeverHistory"]))  # a probe: the solver evaluates it
    assert rep.ok, rep.problems
    assert rep.checked_steps == r.bound
    from smtspec.cli import main

    # the command line knows no probe of this test: it replays the steps and refuses the unverifiable claim
    assert main(["replay", str(path)]) == 1
    assert replay(tr, SPEC.interpreter(), S).problems == [
        "cannot check NeverHistory: not an invariant the concrete interpreter knows, so the trace cannot be "
        "replayed as claimed"]


# --------------------------------------------------------------------------- conform

needs_sample = pytest.mark.skipif(not SAMPLE.exists(), reason=f"oracle sample not found at {SAMPLE}")


@needs_sample
def test_every_line_of_the_tlc_sample_is_a_step_of_the_encoding():
    summary = conform(SAMPLE, spec=SPEC)
    print(f"\n{summary}")
    assert summary.lines == summary.accepted == 20_683
    assert summary.rejected == 0 and summary.errors == []
    assert summary.distinct_states > 1000


def interpreter_log(tmp_path, scope, depth: int | None = None) -> tuple[Path, int]:
    """Every ReconcileProposal step from the reachable states (of a BFS to ``depth``), as a log."""
    reach = onos.reachable(scope, max_depth=depth)
    steps = []
    for st in reach.depth:
        for i in range(1, len(st.proposal) + 1):
            for n in onos.nodes(scope):
                for nxt in sorted(onos.reconcile_proposal(st, scope, n, i), key=repr):
                    steps.append((n, i, st, nxt))
    path = tmp_path / "log.jsonl"
    return path, tlclog.write_log(path, steps)


def test_exact_conformance_on_a_complete_log_from_the_interpreter(tmp_path):
    """The whole reachable state space of a tiny scope: the log is complete."""
    scope = SPEC.scope(TINY)
    path, count = interpreter_log(tmp_path, scope)
    assert count > 50
    summary = conform(path, exact=True, scope=scope, spec=SPEC)
    assert summary.ok and summary.accepted == count and summary.differing_groups == [], str(summary)
    lines = path.read_text().splitlines()
    groups: dict = {}
    for k, text in enumerate(lines):
        j = json.loads(text)
        key = json.dumps([j["context"], j["currState"]], sort_keys=True)
        groups.setdefault(key, {}).setdefault(json.dumps(j["succState"], sort_keys=True), []).append(k)
    # drop every line of one logged successor of a group that has two (the projection of
    # several reachable states can be the same logged step, so a step may have several lines)
    victim = next(posts for posts in groups.values() if len(posts) > 1)
    victim = victim[sorted(victim)[0]]
    dropped = tmp_path / "dropped.jsonl.gz"
    with gzip.open(dropped, "wt") as f:
        f.write("\n".join(x for k, x in enumerate(lines) if k not in victim) + "\n")
    summary = conform(dropped, exact=True, scope=scope, spec=SPEC)
    assert summary.accepted == count - len(victim) and not summary.rejected
    assert len(summary.differing_groups) == 1
    diff = summary.differing_groups[0]
    assert len(diff.not_logged) == 1 and diff.not_admitted == []
    assert "admits successors the log lacks" in str(summary)


def test_a_bad_line_is_reported_and_the_rest_is_checked(tmp_path):
    scope = SPEC.scope(TINY)
    path, count = interpreter_log(tmp_path, scope, 20)
    lines = path.read_text().splitlines()
    j = json.loads(lines[1])
    term = j["currState"]["configuration"]["term"]
    j["succState"] = {"configuration": {**j["currState"]["configuration"], "term": term + 1}}  # not a Proposal step
    lines[1] = json.dumps(j)
    lines[2] = lines[2][: len(lines[2]) // 2]  # truncated
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n")
    summary = conform(bad, scope=scope, spec=SPEC)
    assert summary.lines == count
    assert [line for line, _ in summary.errors] == [3]
    assert summary.rejected == 1 and summary.accepted == count - 2
    assert summary.disagreements[0].lines == [2]
    assert f"configuration.term: {term} -> {term + 1}" in str(summary)

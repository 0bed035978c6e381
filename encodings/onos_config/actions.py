"""The actions of the µONOS Config ``Next``, transcribed to Z3.

What: ``RequestChange``, ``RequestRollback`` and ``ReconcileTransaction`` (the Transaction
rules), the seed's four Proposal actions (each under ``ReconcileProposal``'s guard
``i \\in DOMAIN proposal /\\ mastership.master = n`` and its ``UNCHANGED <<mastership,
conn>>``, with ``transaction`` unchanged), ``ReconcileConfiguration``,
``ReconcileMastership`` and the Target actions, as ``onos-config-environment.md`` and the
seed write them. Why: the transition relation that BMC and k-induction unroll.

Every alternative of an action (the seed's ``\\/`` branches, the environment's "one of"
rules) is a branch with its own guard; the parameter ``branch`` says which one fires, so
several enabled branches (a commit that may be valid or invalid) are all behaviours, and a
trace names the branch. Branch labels are the interpreter's, so a test can compare one
rule family at a time.
"""

from __future__ import annotations

from typing import Mapping

import z3

from smtspec.sorts import Enum, Sym, disj, ival
from smtspec.system import Action, Effect, Param, View

from .schema import (ABORTED, APPLY, CHANGE, COMMIT, COMPLETE, DONE, FAILED, IN_PROGRESS, NIL, PENDING,
                     ROLLBACK, Schema)

CHANGE_RULES = (
    "Change.Init", "Change.CommitStart", "Change.CommitProposal", "Change.CommitComplete",
    "Change.CommitFailed", "Change.ApplyPhase", "Change.ApplyStart", "Change.ApplyAbort",
    "Change.ApplyProposal", "Change.ApplyComplete", "Change.ApplyFailed",
)
ROLLBACK_RULES = (
    "Rollback.Init", "Rollback.InitNotLatest", "Rollback.InitUnknown", "Rollback.CommitAbort",
    "Rollback.CommitAbortChange", "Rollback.CommitPhase", "Rollback.CommitNothing",
    "Rollback.CommitPhaseApplied", "Rollback.CommitStart", "Rollback.CommitAborted",
    "Rollback.CommitProposal", "Rollback.CommitComplete", "Rollback.CommitFailed",
    "Rollback.ApplyAbort", "Rollback.ApplyAbortChange", "Rollback.ApplyPhase", "Rollback.ApplyNothing",
    "Rollback.ApplyAbortUncommitted", "Rollback.ApplyStart", "Rollback.ApplyAborted",
    "Rollback.ApplyProposal", "Rollback.ApplyComplete", "Rollback.ApplyFailed",
)
PROPOSAL_RULES = (
    "CommitChange.valid", "CommitChange.invalid", "CommitChange.complete", "CommitChange.failed",
    "ApplyChange.valid", "ApplyChange.invalid", "ApplyChange.complete", "ApplyChange.failed",
    "CommitRollback.revert", "CommitRollback.complete", "ApplyRollback.revert", "ApplyRollback.complete",
)
OTHER_RULES = (
    "ReconcileConfiguration.start", "ReconcileConfiguration.synchronize", "ReconcileConfiguration.newTerm",
    "ReconcileMastership.elect", "ReconcileMastership.resign",
)
BRANCHES = Enum("Branch", CHANGE_RULES + ROLLBACK_RULES + PROPOSAL_RULES + OTHER_RULES)

ALL_VARS = ("transaction", "proposal", "configuration", "mastership", "conn", "target", "history")


def _except(unchanged_of: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v for v in ALL_VARS if v not in unchanged_of)


class OnosActions:
    """Builds the :class:`Action` list of one scope."""

    def __init__(self, sch: Schema):
        self.s = sch
        self.p_n = Param("n", sch.node, "the node taking the step")
        self.p_i = Param("i", sch.position, "the transaction or proposal index")
        self.p_p = Param("p", sch.path, "the path of the requested change")
        self.p_v = Param("v", sch.value, "the value of the requested change")
        self.p_b = Param("branch", BRANCHES, "which alternative of the action fires")

    # ---------------------------------------------------------------- helpers
    def c(self, sort: Enum, name: str):
        return sort.const(name)

    def is_(self, sort: Enum, x, *names: str) -> z3.BoolRef:
        """``x \\in {names}`` for an Enum-valued term."""
        return disj([x == sort.const(n) for n in names])

    def with_(self, rec: dict, **changes) -> dict:
        """``[rec EXCEPT !.f = x, ...]`` on a symbolic record."""
        out = dict(rec)
        for f, x in changes.items():
            if f not in out:
                raise KeyError(f)
            out[f] = x
        return out

    def merge(self, left: Sym, right: Sym) -> Sym:
        """TLC's ``left @@ right`` on value maps: the union, ``left`` winning."""
        e = self.s.entry
        return tuple((z3.Or(pl, pr), e.ite(pl, xl, xr)) for (pl, xl), (pr, xr) in zip(left, right))

    def empty_map(self) -> Sym:
        return self.s.value_map.const(self.s.value_map.default())

    def combine(self, params: Mapping, pre: View, branches: list[tuple[str, z3.BoolRef, dict]]) -> Effect:
        """One Effect from (label, guard, updates) branches chosen by the ``branch`` parameter."""
        b = params["branch"]
        fires = [(b == BRANCHES.const(label), g, u) for label, g, u in branches]
        guard = disj([z3.And(sel, g) for sel, g, _ in fires])
        names = [n for n in ALL_VARS if any(n in u for _, _, u in fires)]
        updates = {}
        for name in names:
            sort = self.s.var_sorts[name]
            value = pre[name]
            for sel, _, u in reversed(fires):
                if name in u:
                    value = sort.ite(sel, u[name], value)
            updates[name] = value
        return Effect(guard, updates=updates)

    def done(self, x) -> z3.BoolRef:
        return self.is_(self.s.tx_status, x, *DONE)

    def finished(self, pre: View, k, field: str) -> z3.BoolRef:
        """``Initialized(k)``/``Committed(k)``/``Applied(k)``: TRUE outside DOMAIN transaction."""
        seq = self.s.transactions
        return z3.Or(z3.Not(seq.in_domain(pre.transaction, k)), self.done(seq.at(pre.transaction, k)[field]))

    def prev_rolled_back(self, pre: View, index) -> z3.BoolRef:
        """If proposal index-1 has its change (Apply, Failed), its rollback is (Apply, Complete)."""
        seq, ph, st = self.s.proposals, self.s.phase, self.s.proposal_status
        prev = seq.at(pre.proposal, index - 1)
        failed = z3.And(seq.in_domain(pre.proposal, index - 1), prev["change"]["phase"] == ph.const(APPLY),
                        prev["change"]["state"] == st.const(FAILED))
        rolled = z3.And(prev["rollback"]["phase"] == ph.const(APPLY), prev["rollback"]["state"] == st.const(COMPLETE))
        return z3.Or(z3.Not(failed), rolled)

    # ---------------------------------------------------------------- Transaction
    def request_change(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        ts = s.tx_status
        values = s.tx_values.make([(p["p"] == s.path.const(k), p["v"]) for k in s.path.names])
        t = s.transaction_rec.make(type=s.tx_type.const(CHANGE), index=ival(0), values=values,
                                   init=ts.const(IN_PROGRESS), commit=ts.const(PENDING), apply=ts.const(PENDING))
        return Effect(z3.BoolVal(True), updates={"transaction": s.transactions.append(pre.transaction, t)})

    def request_rollback(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        ts = s.tx_status
        i = p["i"]
        t = s.transaction_rec.make(type=s.tx_type.const(ROLLBACK), index=i,
                                   values=s.tx_values.const(s.tx_values.default()),
                                   init=ts.const(IN_PROGRESS), commit=ts.const(PENDING), apply=ts.const(PENDING))
        return Effect(s.transactions.in_domain(pre.transaction, i),
                      updates={"transaction": s.transactions.append(pre.transaction, t)})

    def reconcile_transaction(self, pre: View, p: Mapping) -> Effect:
        """``ReconcileTransaction(n, i)``: the Change and Rollback rules. ``n`` is not read.

        Each rule gives a new ``t`` (or None) and a new ``P`` (or None); Change's Init
        appends a proposal instead. A rule that reads ``P`` needs ``t.index \\in DOMAIN
        proposal`` (outside it TLC would stop with an error; never on reachable states)."""
        s = self.s
        ph, st, ts, ty = s.phase, s.proposal_status, s.tx_status, s.tx_type
        i = p["i"]
        tseq, pseq = s.transactions, s.proposals
        t = tseq.at(pre.transaction, i)
        k = t["index"]
        P = pseq.at(pre.proposal, k)
        has_P = pseq.in_domain(pre.proposal, k)
        chg, rb = P["change"], P["rollback"]
        tcom, tapp, tinit = t["commit"], t["apply"], t["init"]
        T = lambda x, *names: self.is_(ts, x, *names)  # noqa: E731
        S = lambda x, *names: self.is_(st, x, *names)  # noqa: E731
        PH = lambda x, *names: self.is_(ph, x, *names)  # noqa: E731
        initialized = self.finished(pre, i - 1, "init")
        committed = self.finished(pre, i - 1, "commit")
        applied = self.finished(pre, i - 1, "apply")

        def t_(**kw):
            return self.with_(t, **{f: ts.const(x) for f, x in kw.items()})

        def P_(change=None, rollback=None):
            c = self.with_(chg, **{f: (ph if f == "phase" else st).const(x) for f, x in (change or {}).items()})
            r = self.with_(rb, **{f: (ph if f == "phase" else st).const(x) for f, x in (rollback or {}).items()})
            return {"change": c, "rollback": r}

        rules: list[tuple[str, z3.BoolRef, dict | None, dict | None]] = []
        is_change, is_rollback = t["type"] == ty.const(CHANGE), t["type"] == ty.const(ROLLBACK)

        # ---- Change (t.type = Change) ----
        new_len = pseq.length(pre.proposal) + 1
        new_t_init = self.with_(t, index=new_len, init=ts.const(COMPLETE))
        commit_progress = z3.And(T(tcom, IN_PROGRESS), has_P, PH(chg["phase"], COMMIT))
        cvals = pre.configuration["committed"]["values"]
        snapshot = s.value_map.make([
            (pc, s.entry.ite(pv, xv, s.entry.make(index=ival(0), value=s.value_or_nil.const(NIL))))
            for (pc, _), (pv, xv) in zip(chg["values"], cvals)
        ])
        commit_proposal = {"change": self.with_(chg, state=st.const(IN_PROGRESS)),
                           "rollback": self.with_(rb, revision=pre.configuration["committed"]["revision"],
                                                  values=snapshot)}
        apply_pending = T(tapp, PENDING)
        apply_progress = z3.And(T(tapp, IN_PROGRESS), has_P, PH(chg["phase"], APPLY))
        prb = self.prev_rolled_back(pre, k)
        rules += [
            ("Change.Init", z3.And(T(tinit, IN_PROGRESS), initialized), new_t_init, None),
            ("Change.CommitStart", z3.And(T(tcom, PENDING), T(tinit, COMPLETE), committed), t_(commit=IN_PROGRESS), None),
            ("Change.CommitProposal", z3.And(commit_progress, S(chg["state"], PENDING)), None, commit_proposal),
            ("Change.CommitComplete", z3.And(commit_progress, S(chg["state"], COMPLETE)), t_(commit=COMPLETE), None),
            ("Change.CommitFailed", z3.And(commit_progress, S(chg["state"], FAILED)), t_(commit=FAILED), None),
            ("Change.ApplyPhase", z3.And(apply_pending, T(tcom, COMPLETE), has_P, z3.Not(PH(chg["phase"], APPLY))),
             None, P_(change={"phase": APPLY, "state": PENDING})),
            ("Change.ApplyStart", z3.And(apply_pending, T(tcom, COMPLETE), has_P, PH(chg["phase"], APPLY),
                                         S(chg["state"], PENDING), applied, prb), t_(apply=IN_PROGRESS), None),
            ("Change.ApplyAbort", z3.And(apply_pending, T(tcom, ABORTED, FAILED), applied, prb), t_(apply=ABORTED), None),
            ("Change.ApplyProposal", z3.And(apply_progress, S(chg["state"], PENDING)), None,
             P_(change={"state": IN_PROGRESS})),
            ("Change.ApplyComplete", z3.And(apply_progress, S(chg["state"], COMPLETE)), t_(apply=COMPLETE), None),
            ("Change.ApplyFailed", z3.And(apply_progress, S(chg["state"], FAILED)), t_(apply=FAILED), None),
        ]
        n_change = len(rules)

        # ---- Rollback (t.type = Rollback) ----
        nxt = pseq.at(pre.proposal, k + 1)
        latest = z3.Or(z3.Not(pseq.in_domain(pre.proposal, k + 1)), z3.Not(PH(nxt["rollback"]["phase"], NIL)))
        r_init = z3.And(T(tinit, IN_PROGRESS), initialized)
        r_commit = z3.And(T(tcom, PENDING), committed)
        r_commit_ok = z3.And(r_commit, T(tinit, COMPLETE), has_P)
        rb_nil_commit = z3.And(r_commit_ok, PH(rb["phase"], NIL), PH(chg["phase"], COMMIT))
        rb_commit = z3.And(r_commit_ok, PH(rb["phase"], COMMIT))
        r_commit_progress = z3.And(T(tcom, IN_PROGRESS), has_P, PH(rb["phase"], COMMIT))
        r_apply = z3.And(T(tapp, PENDING), applied)
        r_apply_ok = z3.And(r_apply, T(tcom, COMPLETE), has_P)
        rb_c_chg_a = z3.And(r_apply_ok, PH(rb["phase"], COMMIT), PH(chg["phase"], APPLY))
        rb_a = z3.And(r_apply_ok, PH(rb["phase"], APPLY))
        r_apply_progress = z3.And(T(tapp, IN_PROGRESS), has_P, PH(rb["phase"], APPLY))
        abort_both_c = P_(change={"state": ABORTED}, rollback={"phase": COMMIT, "state": ABORTED})
        abort_both_a = P_(change={"state": ABORTED}, rollback={"phase": APPLY, "state": ABORTED})
        rules += [
            ("Rollback.Init", z3.And(r_init, has_P, latest), t_(init=COMPLETE), None),
            ("Rollback.InitNotLatest", z3.And(r_init, has_P, z3.Not(latest)), t_(init=FAILED), None),
            ("Rollback.InitUnknown", z3.And(r_init, z3.Not(has_P)), t_(init=FAILED), None),
            ("Rollback.CommitAbort", z3.And(r_commit, T(tinit, ABORTED, FAILED)), t_(commit=ABORTED), None),
            ("Rollback.CommitAbortChange", z3.And(rb_nil_commit, S(chg["state"], PENDING)), None, abort_both_c),
            ("Rollback.CommitPhase", z3.And(rb_nil_commit, S(chg["state"], COMPLETE)), None,
             P_(rollback={"phase": COMMIT, "state": PENDING})),
            ("Rollback.CommitNothing", z3.And(rb_nil_commit, S(chg["state"], ABORTED, FAILED)), t_(commit=COMPLETE), None),
            ("Rollback.CommitPhaseApplied", z3.And(r_commit_ok, PH(rb["phase"], NIL), PH(chg["phase"], APPLY)), None,
             P_(rollback={"phase": COMMIT, "state": PENDING})),
            ("Rollback.CommitStart", z3.And(rb_commit, S(rb["state"], PENDING)), t_(commit=IN_PROGRESS), None),
            ("Rollback.CommitAborted", z3.And(rb_commit, S(rb["state"], ABORTED)), t_(commit=ABORTED), None),
            ("Rollback.CommitProposal", z3.And(r_commit_progress, S(rb["state"], PENDING)), None,
             P_(rollback={"state": IN_PROGRESS})),
            ("Rollback.CommitComplete", z3.And(r_commit_progress, S(rb["state"], COMPLETE)), t_(commit=COMPLETE), None),
            ("Rollback.CommitFailed", z3.And(r_commit_progress, S(rb["state"], FAILED)), t_(commit=FAILED), None),
            ("Rollback.ApplyAbort", z3.And(r_apply, T(tinit, ABORTED, FAILED)), t_(apply=ABORTED), None),
            ("Rollback.ApplyAbortChange", z3.And(rb_c_chg_a, S(chg["state"], PENDING)), None, abort_both_a),
            ("Rollback.ApplyPhase", z3.And(rb_c_chg_a, S(chg["state"], COMPLETE)), None,
             P_(rollback={"phase": APPLY, "state": PENDING})),
            ("Rollback.ApplyNothing", z3.And(rb_c_chg_a, S(chg["state"], ABORTED, FAILED)), t_(apply=COMPLETE), None),
            ("Rollback.ApplyAbortUncommitted", z3.And(r_apply_ok, PH(rb["phase"], COMMIT), PH(chg["phase"], COMMIT)),
             None, abort_both_a),
            ("Rollback.ApplyStart", z3.And(rb_a, S(rb["state"], PENDING)), t_(apply=IN_PROGRESS), None),
            ("Rollback.ApplyAborted", z3.And(rb_a, S(rb["state"], ABORTED)), t_(apply=ABORTED), None),
            ("Rollback.ApplyProposal", z3.And(r_apply_progress, S(rb["state"], PENDING)), None,
             P_(rollback={"state": IN_PROGRESS})),
            ("Rollback.ApplyComplete", z3.And(r_apply_progress, S(rb["state"], COMPLETE)), t_(apply=COMPLETE), None),
            ("Rollback.ApplyFailed", z3.And(r_apply_progress, S(rb["state"], FAILED)), t_(apply=FAILED), None),
        ]

        b = p["branch"]
        sel = {label: b == BRANCHES.const(label) for label, *_ in rules}
        guard = disj([
            z3.And(sel[label], is_change if n < n_change else is_rollback, g)
            for n, (label, g, _, _) in enumerate(rules)
        ])
        new_t, new_P = t, P
        for label, _, nt, nP in reversed(rules):
            if nt is not None:
                new_t = s.transaction_rec.ite(sel[label], nt, new_t)
            if nP is not None:
                new_P = s.proposal_rec.ite(sel[label], nP, new_P)
        created = {
            "change": s.change_rec.make(
                phase=ph.const(COMMIT), state=st.const(PENDING),
                values=s.value_map.make([(pv, s.entry.make(index=new_len, value=xv)) for pv, xv in t["values"]]),
            ),
            "rollback": s.rollback_rec.make(phase=ph.const(NIL), state=st.const(NIL), revision=ival(0),
                                            values=self.empty_map()),
        }
        proposal = pseq.ite(sel["Change.Init"], pseq.append(pre.proposal, created), pseq.store(pre.proposal, k, new_P))
        return Effect(guard, updates={"transaction": tseq.store(pre.transaction, i, new_t), "proposal": proposal})

    # ---------------------------------------------------------------- Proposal (seed)
    def _proposal(self, pre: View, p: Mapping):
        """``ReconcileProposal``'s guard and ``proposal[i]``."""
        s = self.s
        i = p["i"]
        guard = z3.And(s.proposals.in_domain(pre.proposal, i), pre.mastership["master"] == p["n"])
        return i, guard, s.proposals.at(pre.proposal, i)

    def _set_state(self, pre: View, i, P: dict, part: str, status: str) -> Sym:
        s = self.s
        newP = dict(P)
        newP[part] = self.with_(P[part], state=s.proposal_status.const(status))
        return s.proposals.store(pre.proposal, i, newP)

    def _event(self, kind: str, phase: str, i) -> dict:
        s = self.s
        return s.history_rec.make(type=s.tx_type.const(kind), phase=s.history_phase.const(phase), index=i)

    def _target_ready(self, pre: View, n) -> z3.BoolRef:
        s = self.s
        cfg, m = pre.configuration, pre.mastership
        c = s.conn.select(pre.conn, n)
        return z3.And(cfg["state"] == s.config_status.const(COMPLETE), cfg["term"] == m["term"],
                      c["id"] == m["conn"], c["connected"], pre.target["running"])

    def _phase_state(self, part: dict, phase: str) -> z3.BoolRef:
        s = self.s
        return z3.And(part["phase"] == s.phase.const(phase), part["state"] == s.proposal_status.const(IN_PROGRESS))

    def commit_change(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, rp, P = self._proposal(pre, p)
        cfg = pre.configuration
        c = cfg["committed"]
        on = z3.And(rp, self._phase_state(P["change"], COMMIT))
        valid_cfg = self.with_(cfg, committed=self.with_(c, index=i, revision=i,
                                                          values=self.merge(P["change"]["values"], c["values"])))
        return self.combine(p, pre, [
            ("CommitChange.valid", z3.And(on, c["index"] == i - 1),
             {"configuration": valid_cfg, "history": s.history.append(pre.history, self._event(CHANGE, COMMIT, i))}),
            ("CommitChange.invalid", z3.And(on, c["index"] == i - 1),
             {"configuration": self.with_(cfg, committed=self.with_(c, index=i))}),
            ("CommitChange.complete", z3.And(on, c["index"] == i, c["revision"] == i),
             {"proposal": self._set_state(pre, i, P, "change", COMPLETE)}),
            ("CommitChange.failed", z3.And(on, c["index"] == i, c["revision"] != i),
             {"proposal": self._set_state(pre, i, P, "change", FAILED)}),
        ])

    def apply_change(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, rp, P = self._proposal(pre, p)
        cfg, tgt = pre.configuration, pre.target
        a = cfg["applied"]
        on = z3.And(rp, self._phase_state(P["change"], APPLY))
        ready = z3.And(on, a["index"] == i - 1, self._target_ready(pre, p["n"]))
        vals = P["change"]["values"]
        valid_cfg = self.with_(cfg, applied=self.with_(a, index=i, revision=i, values=self.merge(vals, a["values"])))
        return self.combine(p, pre, [
            ("ApplyChange.valid", ready,
             {"configuration": valid_cfg, "target": self.with_(tgt, values=self.merge(vals, tgt["values"])),
              "history": s.history.append(pre.history, self._event(CHANGE, APPLY, i))}),
            ("ApplyChange.invalid", ready, {"configuration": self.with_(cfg, applied=self.with_(a, index=i))}),
            ("ApplyChange.complete", z3.And(on, a["index"] == i, a["revision"] == i),
             {"proposal": self._set_state(pre, i, P, "change", COMPLETE)}),
            ("ApplyChange.failed", z3.And(on, a["index"] == i, a["revision"] != i),
             {"proposal": self._set_state(pre, i, P, "change", FAILED)}),
        ])

    def commit_rollback(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, rp, P = self._proposal(pre, p)
        cfg = pre.configuration
        c = cfg["committed"]
        rb = P["rollback"]
        on = z3.And(rp, self._phase_state(rb, COMMIT))
        reverted = self.with_(cfg, committed=self.with_(c, revision=rb["revision"],
                                                         values=self.merge(rb["values"], c["values"])))
        return self.combine(p, pre, [
            ("CommitRollback.revert", z3.And(on, c["revision"] == i),
             {"configuration": reverted, "history": s.history.append(pre.history, self._event(ROLLBACK, COMMIT, i))}),
            ("CommitRollback.complete", z3.And(on, c["revision"] == rb["revision"]),
             {"proposal": self._set_state(pre, i, P, "rollback", COMPLETE)}),
        ])

    def apply_rollback(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        i, rp, P = self._proposal(pre, p)
        cfg, tgt = pre.configuration, pre.target
        a = cfg["applied"]
        rb = P["rollback"]
        on = z3.And(rp, self._phase_state(rb, APPLY))
        reverted = self.with_(cfg, applied=self.with_(a, revision=rb["revision"],
                                                       values=self.merge(rb["values"], a["values"])))
        return self.combine(p, pre, [
            ("ApplyRollback.revert", z3.And(on, a["revision"] == i, self._target_ready(pre, p["n"])),
             {"configuration": reverted, "target": self.with_(tgt, values=self.merge(rb["values"], tgt["values"])),
              "history": s.history.append(pre.history, self._event(ROLLBACK, APPLY, i))}),
            # As written in the seed: the *committed* revision is compared here.
            ("ApplyRollback.complete", z3.And(on, cfg["committed"]["revision"] == rb["revision"]),
             {"proposal": self._set_state(pre, i, P, "rollback", COMPLETE)}),
        ])

    # ---------------------------------------------------------------- Configuration, Mastership, Target
    def reconcile_configuration(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        n = p["n"]
        cfg, m, tgt = pre.configuration, pre.mastership, pre.target
        c = s.conn.select(pre.conn, n)
        cs = s.config_status
        current = z3.And(cfg["term"] == m["term"], m["master"] == n)
        return self.combine(p, pre, [
            ("ReconcileConfiguration.start", z3.And(cfg["state"] == cs.const(PENDING), current),
             {"configuration": self.with_(cfg, state=cs.const(IN_PROGRESS))}),
            ("ReconcileConfiguration.synchronize",
             z3.And(cfg["state"] == cs.const(IN_PROGRESS), current, c["id"] == m["conn"], c["connected"], tgt["running"]),
             {"target": self.with_(tgt, values=cfg["applied"]["values"]),
              "configuration": self.with_(cfg, state=cs.const(COMPLETE),
                                          applied=self.with_(cfg["applied"], target=tgt["id"]))}),
            ("ReconcileConfiguration.newTerm", cfg["term"] < m["term"],
             {"configuration": self.with_(cfg, state=cs.const(PENDING), term=m["term"])}),
        ])

    def reconcile_mastership(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        n = p["n"]
        m = pre.mastership
        c = s.conn.select(pre.conn, n)
        nil = s.node_or_nil.const(NIL)
        return self.combine(p, pre, [
            ("ReconcileMastership.elect", z3.And(c["connected"], m["master"] == nil),
             {"mastership": s.mastership.make(master=n, term=m["term"] + 1, conn=c["id"])}),
            ("ReconcileMastership.resign", z3.And(z3.Or(z3.Not(c["connected"]), c["id"] != m["conn"]), m["master"] == n),
             {"mastership": self.with_(m, master=nil)}),
        ])

    def start(self, pre: View, p: Mapping) -> Effect:
        t = pre.target
        return Effect(z3.Not(t["running"]),
                      updates={"target": self.with_(t, id=t["id"] + 1, running=z3.BoolVal(True))})

    def stop(self, pre: View, p: Mapping) -> Effect:
        t = pre.target
        conn = tuple(self.with_(c, connected=z3.BoolVal(False)) for c in pre.conn)
        return Effect(t["running"], updates={
            "target": self.with_(t, running=z3.BoolVal(False), values=self.empty_map()), "conn": conn})

    def connect(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        c = s.conn.select(pre.conn, p["n"])
        new = self.with_(c, id=c["id"] + 1, connected=z3.BoolVal(True))
        return Effect(z3.And(z3.Not(c["connected"]), pre.target["running"]),
                      updates={"conn": s.conn.store(pre.conn, p["n"], new)})

    def disconnect(self, pre: View, p: Mapping) -> Effect:
        s = self.s
        c = s.conn.select(pre.conn, p["n"])
        return Effect(c["connected"],
                      updates={"conn": s.conn.store(pre.conn, p["n"], self.with_(c, connected=z3.BoolVal(False)))})

    # ---------------------------------------------------------------- the list
    def all(self) -> tuple[Action, ...]:
        n, i, pp, v, b = self.p_n, self.p_i, self.p_p, self.p_v, self.p_b
        proposal_unchanged = ("mastership", "conn", "transaction")

        def act(name, params, unchanged, fn, doc):
            return Action(name, params, tuple(unchanged), fn, doc)

        return (
            act("Transaction.RequestChange", (pp, v), _except(("transaction",)), self.request_change,
                "append a Change transaction (p |-> v)"),
            act("Transaction.RequestRollback", (i,), _except(("transaction",)), self.request_rollback,
                "append a Rollback transaction of index i"),
            act("Transaction.ReconcileTransaction", (n, i, b), _except(("transaction", "proposal")),
                self.reconcile_transaction, "one Change or Rollback rule for transaction[i]"),
            act("Proposal.CommitChange", (n, i, b), ("target",) + proposal_unchanged, self.commit_change,
                "ReconcileProposal(n, i) by CommitChange"),
            act("Proposal.ApplyChange", (n, i, b), proposal_unchanged, self.apply_change,
                "ReconcileProposal(n, i) by ApplyChange"),
            act("Proposal.CommitRollback", (n, i, b), ("target",) + proposal_unchanged, self.commit_rollback,
                "ReconcileProposal(n, i) by CommitRollback"),
            act("Proposal.ApplyRollback", (n, i, b), proposal_unchanged, self.apply_rollback,
                "ReconcileProposal(n, i) by ApplyRollback"),
            act("Configuration.ReconcileConfiguration", (n, b), _except(("configuration", "target")),
                self.reconcile_configuration, "one ReconcileConfiguration rule"),
            act("Mastership.ReconcileMastership", (n, b), _except(("mastership",)), self.reconcile_mastership,
                "elect n or resign"),
            act("Target.Connect", (n,), _except(("conn",)), self.connect, "n connects to a running target"),
            act("Target.Disconnect", (n,), _except(("conn",)), self.disconnect, "n disconnects"),
            act("Target.Start", (), _except(("target",)), self.start, "the target starts (new incarnation)"),
            act("Target.Stop", (), _except(("target", "conn")), self.stop, "the target stops and forgets its values"),
        )


PROPOSAL_ACTIONS = ("Proposal.CommitChange", "Proposal.ApplyChange", "Proposal.CommitRollback", "Proposal.ApplyRollback")

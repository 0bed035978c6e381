"""The invariants of the original µONOS Config model (TLC: TypeOK, Order, Consistency), in Z3.

What: ``TypeOK`` with its four module parts, ``Order`` with ``Order1``/``Order2`` and
``Consistency`` with ``Consistency1..3``, as ``onos-config-environment.md`` states them
(the Proposal part is the seed's ``TypeOK``). Why: each is its own name, so BMC and
k-induction can be asked about one conjunct and a CTI says which part failed.

Type conditions are evaluated as written even where the sort already guarantees them
(``x \\in Nat`` is ``x >= 0`` on an integer sort that starts at 0): only the proposal
state sort is wider than its type set (it holds ``Aborted``), so ``ProposalTypeOK`` is
the one type part that can fail.
"""

from __future__ import annotations

import z3

from smtspec.sorts import conj, disj
from smtspec.system import Invariant, View

from .schema import (ABORTED, APPLY, CHANGE, COMPLETE, CONFIGURATION_STATUS, FAILED, NIL, PENDING,
                     PROPOSAL_PHASE, PROPOSAL_STATUS, ROLLBACK, TRANSACTION_STATUS, Schema)


def build_invariants(s: Schema) -> tuple[Invariant, ...]:
    T = s.scope.transactions
    tseq, pseq, hseq = s.transactions, s.proposals, s.history

    def member(sort, x, names) -> z3.BoolRef:
        return disj([x == sort.const(n) for n in names if n in sort.names])

    def nat(x) -> z3.BoolRef:
        return x >= 0

    def value_map_ok(vm) -> z3.BoolRef:
        # \A p \in DOMAIN vm : vm[p].index \in Nat /\ (vm[p].value # Nil => vm[p].value \in STRING)
        return conj([z3.Implies(present, nat(e["index"])) for present, e in vm])  # every value is a string

    def each(seq_sort, seq, body, upto=None):
        """``\\A i \\in DOMAIN seq : body(i, seq[i])`` over the slots (i is a Python int)."""
        n = seq_sort.length(seq)
        return conj([z3.Implies(n >= k, body(k, seq[1][k - 1])) for k in range(1, (upto or seq_sort.max_len) + 1)])

    # ------------------------------------------------------------------ TypeOK
    def transaction_type_ok(v: View) -> z3.BoolRef:
        def ok(_, t):
            return z3.And(
                member(s.tx_type, t["type"], (CHANGE, ROLLBACK)), nat(t["index"]),
                member(s.tx_status, t["init"], TRANSACTION_STATUS),
                member(s.tx_status, t["commit"], TRANSACTION_STATUS),
                member(s.tx_status, t["apply"], TRANSACTION_STATUS),
                z3.BoolVal(True),  # every value of t.values is a string (Value)
            )
        return each(tseq, v.transaction, ok)

    def proposal_type_ok(v: View) -> z3.BoolRef:
        def ok(_, p):
            c, r = p["change"], p["rollback"]
            return z3.And(
                member(s.phase, c["phase"], PROPOSAL_PHASE), member(s.proposal_status, c["state"], PROPOSAL_STATUS),
                value_map_ok(c["values"]),
                member(s.phase, r["phase"], PROPOSAL_PHASE), member(s.proposal_status, r["state"], PROPOSAL_STATUS),
                nat(r["revision"]), value_map_ok(r["values"]),
            )
        return each(pseq, v.proposal, ok)

    def configuration_type_ok(v: View) -> z3.BoolRef:
        cfg = v.configuration
        c, a = cfg["committed"], cfg["applied"]
        return z3.And(
            member(s.config_status, cfg["state"], CONFIGURATION_STATUS), nat(cfg["term"]),
            nat(c["index"]), nat(c["revision"]), value_map_ok(c["values"]),
            nat(a["index"]), nat(a["revision"]), nat(a["target"]), value_map_ok(a["values"]),
        )

    def mastership_type_ok(v: View) -> z3.BoolRef:
        m = v.mastership
        return z3.And(nat(m["term"]), nat(m["conn"]), member(s.node_or_nil, m["master"], s.node.names + (NIL,)))

    def type_ok(v: View) -> z3.BoolRef:
        return z3.And(transaction_type_ok(v), proposal_type_ok(v), configuration_type_ok(v), mastership_type_ok(v))

    # ------------------------------------------------------------------ Order
    def order1(v: View) -> z3.BoolRef:
        """Every history entry is ordered (see the environment file, Order conjunct 1)."""
        n, h = hseq.length(v.history), v.history[1]
        ch, rb = s.tx_type.const(CHANGE), s.tx_type.const(ROLLBACK)
        cs = []
        for i in range(hseq.max_len):
            e = h[i]
            earlier_change = [z3.And(h[j]["type"] == ch, h[j]["phase"] == e["phase"]) for j in range(i)]
            change_ok = z3.Not(disj([z3.And(c, h[j]["index"] >= e["index"]) for j, c in enumerate(earlier_change)]))
            rollback_ok = conj([
                z3.Implies(
                    z3.And(c, h[j]["index"] > e["index"]),
                    disj([z3.And(h[r]["type"] == rb, h[r]["phase"] == e["phase"], h[r]["index"] == h[j]["index"])
                          for r in range(j + 1, i)]),
                )
                for j, c in enumerate(earlier_change)
            ])
            ordered = z3.If(e["type"] == ch, change_ok, z3.And(e["type"] == rb, rollback_ok))
            cs.append(z3.Implies(n > i, ordered))
        return conj(cs)

    def order2(v: View) -> z3.BoolRef:
        ph, st = s.phase, s.proposal_status
        n, props = pseq.length(v.proposal), v.proposal[1]
        cs = []
        for i in range(T):
            c, r = props[i]["change"], props[i]["rollback"]
            stuck = z3.And(c["phase"] == ph.const(APPLY), c["state"] == st.const(FAILED),
                           z3.Not(z3.And(r["phase"] == ph.const(APPLY), r["state"] == st.const(COMPLETE))))
            later = conj([
                z3.Implies(z3.And(n > j, props[j]["change"]["phase"] == ph.const(APPLY)),
                           member(st, props[j]["change"]["state"], (NIL, PENDING, ABORTED)))
                for j in range(i + 1, T)
            ])
            cs.append(z3.Implies(z3.And(n > i, stuck), later))
        return conj(cs)

    def order(v: View) -> z3.BoolRef:
        return z3.And(order1(v), order2(v))

    # ------------------------------------------------------------------ Consistency
    def carries(vm, i) -> z3.BoolRef:
        """Some value of the map carries index i."""
        return disj([z3.And(present, e["index"] == i) for present, e in vm])

    def consistency1(v: View) -> z3.BoolRef:
        c = v.configuration["committed"]
        n = pseq.length(v.proposal)
        return conj([
            z3.Implies(z3.And(n >= i, z3.Or(c["index"] < i, c["revision"] < i)), z3.Not(carries(c["values"], i)))
            for i in range(1, T + 1)
        ])

    def consistency2(v: View) -> z3.BoolRef:
        a = v.configuration["applied"]
        n = pseq.length(v.proposal)
        return conj([
            z3.Implies(z3.And(n >= i, z3.Or(a["index"] < i, a["revision"] < i)),
                       z3.And(z3.Not(carries(a["values"], i)), z3.Not(carries(v.target["values"], i))))
            for i in range(1, T + 1)
        ])

    def consistency3(v: View) -> z3.BoolRef:
        cfg, tgt = v.configuration, v.target
        a = cfg["applied"]
        n, props = pseq.length(v.proposal), v.proposal[1]

        def through(j: int) -> z3.BoolRef:
            return z3.And(n >= j, a["index"] >= j, a["revision"] >= j)

        body = []
        for i in range(1, T + 1):
            latest = z3.And(through(i), z3.Not(disj([through(j) for j in range(i + 1, T + 1)])))
            held = conj([
                z3.Implies(pc, z3.And(pt, et["value"] == ec["value"], et["index"] == ec["index"]))
                for (pc, ec), (pt, et) in zip(props[i - 1]["change"]["values"], tgt["values"])
            ])
            body.append(z3.Implies(latest, held))
        synced = z3.And(tgt["running"], a["target"] == tgt["id"], cfg["state"] == s.config_status.const(COMPLETE))
        return z3.Implies(synced, conj(body))

    def consistency(v: View) -> z3.BoolRef:
        return z3.And(consistency1(v), consistency2(v), consistency3(v))

    parts_type = (("TransactionTypeOK", transaction_type_ok), ("ProposalTypeOK", proposal_type_ok),
                  ("ConfigurationTypeOK", configuration_type_ok), ("MastershipTypeOK", mastership_type_ok))
    parts_order = (("Order1", order1), ("Order2", order2))
    parts_cons = (("Consistency1", consistency1), ("Consistency2", consistency2), ("Consistency3", consistency3))
    docs = {
        "TransactionTypeOK": "Transaction module type invariant",
        "ProposalTypeOK": "the seed's TypeOK: proposal phases and states (no Aborted)",
        "ConfigurationTypeOK": "Configuration module type invariant",
        "MastershipTypeOK": "Mastership module type invariant",
        "Order1": "every history entry is ordered",
        "Order2": "no later proposal applies while an earlier failed apply is not rolled back",
        "Consistency1": "no committed value carries an index past the committed index/revision",
        "Consistency2": "no applied or target value carries an index past the applied index/revision",
        "Consistency3": "a synchronised running target holds the latest applied change's values",
    }
    out = [
        Invariant("TypeOK", type_ok, "the four modules' type invariants", parts_type),
        *[Invariant(n, f, docs[n]) for n, f in parts_type],
        Invariant("Order", order, "Order1 /\\ Order2", parts_order),
        *[Invariant(n, f, docs[n]) for n, f in parts_order],
        Invariant("Consistency", consistency, "Consistency1 /\\ Consistency2 /\\ Consistency3", parts_cons),
        *[Invariant(n, f, docs[n]) for n, f in parts_cons],
    ]
    return tuple(out)

"""Candidate helper invariants for ParallelRaft-CE, generated from templates over the schema.

Each template is a family of simple relational facts (comparisons between integer-valued
variables of one server, between fields of one message, between a message field and its
sender's state, between fields of an election record...). ``smtspec strengthen`` feeds
the instances to Houdini; a proof file records an instance as ``template`` + ``args`` and
:func:`template` rebuilds it.
"""

from __future__ import annotations

from itertools import product
from typing import Callable, Iterator

import z3

from smtspec.sorts import conj
from smtspec.system import View

from .schema import STATES, Schema

OPS: dict[str, Callable] = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
    ">=": lambda a, b: a >= b,
}
SERVER_INTS = ("currentTerm", "sync")
# integer fields of each message kind (mend of a vote response is an end point, not listed)
MSG_INTS = {
    "RequestVoteRequest": ("mterm", "msync"),
    "RequestVoteResponse": ("mterm",),
    "RequestSyncRequest": ("mterm", "msync", "mstart", "mend"),
    "RequestSyncResponse": ("mterm", "msync", "mstart", "mend"),
    "UpdateSyncRequest": ("mterm", "msync"),
    "UpdateSyncResponse": ("mterm", "msync"),
}
ELECTION_SETS = {"elections": ("eterm", "esync", "eleader"), "halfElections": ("eterm", "esync", "eleaderCandidate")}


def _each_server(s: Schema, body):
    return conj([body(k) for k in range(s.scope.servers)])


def template(system, name: str, args: dict) -> Callable[[View], z3.BoolRef]:
    """The invariant of one template instance (raises KeyError/ValueError on bad arguments)."""
    s: Schema = system.context
    M = s.message
    if name == "server_cmp":
        # \A i : [currentState[i] = state =>] left[i] op right[i]
        op, left, right, state = OPS[args["op"]], args["left"], args["right"], args.get("state", "")

        def enc(v: View):
            def one(k):
                c = op(v[left][k], v[right][k])
                return z3.Implies(v.currentState[k] == s.state.const(state), c) if state else c

            return _each_server(s, one)

        return enc
    if name == "msg_cmp":
        # \A m \in messages : m.mtype = kind => m.left op m.right
        kind, op, left, right = args["kind"], OPS[args["op"]], args["left"], args["right"]

        def enc(v: View):
            return v.messages.forall(
                lambda m: z3.Implies(M.is_kind(m, kind), op(M.field(m, left, kind), M.field(m, right, kind)))
            )

        return enc
    if name == "msg_vs_source":
        # \A m \in messages : m.mtype = kind => m.field op var[m.msource]
        kind, op, fld, var = args["kind"], OPS[args["op"]], args["field"], args["var"]
        fsort = s.var_sorts[var]

        def enc(v: View):
            return v.messages.forall(
                lambda m: z3.Implies(
                    M.is_kind(m, kind), op(M.field(m, fld, kind), fsort.select(v[var], M.field(m, "msource")))
                )
            )

        return enc
    if name == "election_cmp":
        # \A e \in set : e.left op e.right
        which, op, left, right = args["set"], OPS[args["op"]], args["left"], args["right"]
        return lambda v: v[which].forall(lambda e: op(e[left], e[right]))
    if name == "election_vs_leader":
        # \A e \in set : e.field op var[e.leader]
        which, op, fld, var = args["set"], OPS[args["op"]], args["field"], args["var"]
        leader = ELECTION_SETS[which][2]
        fsort = s.var_sorts[var]
        return lambda v: v[which].forall(lambda e: op(e[fld], fsort.select(v[var], e[leader])))
    if name == "log_term_cmp":
        # \A i, n : log[i][n].field op var[i]
        op, fld, var = OPS[args["op"]], args["field"], args["var"]
        return lambda v: _each_server(s, lambda k: conj([op(e[fld], v[var][k]) for e in v.log[k]]))
    if name == "sync_track_cmp":
        # \A i, j : syncTrack[i][j] op var[i]
        op, var = OPS[args["op"]], args["var"]
        return lambda v: _each_server(s, lambda k: conj([op(x, v[var][k]) for x in v.syncTrack[k]]))
    if name == "synced_cmp":
        # \A x \in allSynced : x[1] op var (a bound): synced terms below some server's term
        op = OPS[args["op"]]
        return lambda v: v.allSynced.forall(
            lambda x: z3.Or([op(x[0], v.currentTerm[k]) for k in range(s.scope.servers)])
        )
    raise KeyError(f"unknown template {name}")


OP_WORDS = {"<=": "AtMost", "<": "Below", "=": "Equals", ">=": "AtLeast"}


def candidate_name(name: str, args: dict) -> str:
    """A readable, unique identifier for a template instance, e.g. ``UpdateSyncRequest_msync_AtMost_mterm``."""
    op = OP_WORDS[args["op"]]
    if name == "server_cmp":
        pre = f"{args['state']}_" if args.get("state") else "Server_"
        return f"{pre}{args['left']}_{op}_{args['right']}"
    if name == "msg_cmp":
        return f"{args['kind']}_{args['left']}_{op}_{args['right']}"
    if name == "msg_vs_source":
        return f"{args['kind']}_{args['field']}_{op}_source_{args['var']}"
    if name == "election_cmp":
        return f"{args['set']}_{args['left']}_{op}_{args['right']}"
    if name == "election_vs_leader":
        return f"{args['set']}_{args['field']}_{op}_leader_{args['var']}"
    if name == "log_term_cmp":
        return f"log_{args['field']}_{op}_{args['var']}"
    if name == "sync_track_cmp":
        return f"syncTrack_{op}_{args['var']}"
    if name == "synced_cmp":
        return f"allSynced_term_{op}_some_currentTerm"
    raise KeyError(name)


NEGATED = {"<=": "above", "<": "not below", "=": "different from", ">=": "below"}


def excluded(name: str, args: dict) -> str:
    """The unreachable states a template instance excludes, in one line."""
    neg = NEGATED[args["op"]]
    if name == "server_cmp":
        who = f"a {args['state']}" if args.get("state") else "a server"
        return f"{who} whose {args['left']} is {neg} its {args['right']}"
    if name == "msg_cmp":
        return f"a {args['kind']} whose {args['left']} is {neg} its {args['right']}"
    if name == "msg_vs_source":
        return f"a {args['kind']} whose {args['field']} is {neg} its sender's {args['var']}"
    if name == "election_cmp":
        return f"an element of {args['set']} whose {args['left']} is {neg} its {args['right']}"
    if name == "election_vs_leader":
        return f"an element of {args['set']} whose {args['field']} is {neg} its leader's {args['var']}"
    if name == "log_term_cmp":
        return f"a log entry whose {args['field']} is {neg} its server's {args['var']}"
    if name == "sync_track_cmp":
        return f"a syncTrack[i][j] {neg} {args['var']}[i]"
    return f"an allSynced element whose term is {neg} every server's currentTerm"


def candidates(system) -> Iterator[tuple[str, dict, str]]:
    """Every template instance: (template, args, one-line reading)."""
    for left, right in product(SERVER_INTS, SERVER_INTS):
        if left == right:
            continue
        for op in ("<=", "<", "="):
            yield "server_cmp", {"op": op, "left": left, "right": right}, f"every {left}[i] {op} {right}[i]"
            for st in STATES:
                yield "server_cmp", {"op": op, "left": left, "right": right, "state": st}, \
                    f"a {st}'s {left} {op} its {right}"
    for kind, fields in MSG_INTS.items():
        for left, right in product(fields, fields):
            if left != right:
                for op in ("<=", "<", "="):
                    yield "msg_cmp", {"kind": kind, "op": op, "left": left, "right": right}, \
                        f"every {kind} has {left} {op} {right}"
        for fld, var in product(fields, SERVER_INTS):
            for op in ("<=", "=", ">="):
                yield "msg_vs_source", {"kind": kind, "op": op, "field": fld, "var": var}, \
                    f"every {kind}'s {fld} {op} its sender's {var}"
    for which, (a, b, _leader) in ELECTION_SETS.items():
        for op in ("<=", "<", "="):
            yield "election_cmp", {"set": which, "op": op, "left": b, "right": a}, f"every {which} element has {b} {op} {a}"
        for fld, var in product((a, b), SERVER_INTS):
            for op in ("<=", "="):
                yield "election_vs_leader", {"set": which, "op": op, "field": fld, "var": var}, \
                    f"every {which} element's {fld} {op} its leader's {var}"
    for fld, var in product(("term", "date"), SERVER_INTS):
        for op in ("<=", "<"):
            yield "log_term_cmp", {"op": op, "field": fld, "var": var}, f"every log entry's {fld} {op} its server's {var}"
    for var in SERVER_INTS:
        for op in ("<=", "="):
            yield "sync_track_cmp", {"op": op, "var": var}, f"every syncTrack[i][j] {op} {var}[i]"
    for op in ("<=", "<"):
        yield "synced_cmp", {"op": op}, f"every synced term {op} some server's currentTerm"

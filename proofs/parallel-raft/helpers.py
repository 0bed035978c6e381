"""Helper invariants for ParallelRaft-CE proofs, written by hand in Python.

Each function takes the symbolic state ``v`` (a View: ``v.currentTerm``, ``v.messages`` ...)
and the spec's schema ``s`` (sorts; ``s.message`` reads message fields) and returns a Z3
formula. The first docstring line says which unreachable states the helper excludes.
"""

import z3

RVR = "RequestVoteResponse"


def _granted(s, m):
    M = s.message
    return z3.And(M.is_kind(m, RVR), M.field(m, "mvoteGranted"))


def votes_are_unique(v, s):
    """Excludes a server granting its vote in one term to two different candidates."""
    M = s.message
    return v.messages.forall(lambda a: v.messages.forall(lambda b: z3.Implies(
        z3.And(_granted(s, a), _granted(s, b), M.field(a, "msource") == M.field(b, "msource"),
               M.field(a, "mterm") == M.field(b, "mterm")),
        M.field(a, "mdest", RVR) == M.field(b, "mdest", RVR))))


def current_vote_is_recorded(v, s):
    """Excludes a server whose granted vote in its current term is not its votedFor."""
    M = s.message
    term, voted = s.var_sorts["currentTerm"], s.var_sorts["votedFor"]
    return v.messages.forall(lambda m: z3.Implies(
        z3.And(_granted(s, m), M.field(m, "mterm") == term.select(v.currentTerm, M.field(m, "msource"))),
        voted.select(v.votedFor, M.field(m, "msource")) == M.field(m, "mdest", RVR)))


def half_election_votes_were_sent(v, s):
    """Excludes a half-election of term t with a voter that sent its candidate no granted vote of term t."""
    M = s.message
    return v.halfElections.forall(lambda e: z3.And([
        z3.Implies(e["evotes"][k], v.messages.exists(lambda m, q=q: z3.And(
            _granted(s, m), M.field(m, "msource") == s.server.const(q),
            M.field(m, "mdest", RVR) == e["eleaderCandidate"], M.field(m, "mterm") == e["eterm"])))
        for k, q in enumerate(s.server.names)]))


def leader_candidates_have_half_elections(v, s):
    """Excludes a LeaderCandidate or Leader with no half-election of its current term."""
    st = s.state
    return z3.And([
        z3.Implies(z3.Or(v.currentState[k] == st.const("LeaderCandidate"), v.currentState[k] == st.const("Leader")),
                   v.halfElections.exists(lambda f, k=k: z3.And(f["eterm"] == v.currentTerm[k],
                                                                f["eleaderCandidate"] == s.server.const(q))))
        for k, q in enumerate(s.server.names)])

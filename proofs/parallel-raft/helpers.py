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


def synced_current_term_was_half_elected(v, s):
    """Excludes a server whose sync caught up with its (positive) current term without any half-election of that term."""
    return z3.And([
        z3.Implies(z3.And(v.sync[k] == v.currentTerm[k], v.currentTerm[k] >= 1),
                   v.halfElections.exists(lambda f, k=k: f["eterm"] == v.currentTerm[k]))
        for k in range(len(s.server.names))])


def full_update_sync_requests_come_from_half_elected(v, s):
    """Excludes an UpdateSyncRequest with msync = mterm whose sender has no half-election of that term."""
    M = s.message
    USQ = "UpdateSyncRequest"
    return v.messages.forall(lambda m: z3.Implies(
        z3.And(M.is_kind(m, USQ), M.field(m, "msync") == M.field(m, "mterm")),
        v.halfElections.exists(lambda f: z3.And(f["eterm"] == M.field(m, "mterm"),
                                                f["eleaderCandidate"] == M.field(m, "msource")))))


def candidates_have_no_half_election_of_their_term(v, s):
    """Excludes a Candidate that already recorded a half-election of its current term."""
    cand = s.state.const("Candidate")
    return z3.And([
        z3.Implies(v.currentState[k] == cand,
                   v.halfElections.forall(lambda f, k=k, q=q: z3.Implies(
                       f["eleaderCandidate"] == s.server.const(q), f["eterm"] < v.currentTerm[k])))
        for k, q in enumerate(s.server.names)])


def campaigning_servers_have_positive_terms(v, s):
    """Excludes a Candidate, LeaderCandidate or Leader in term 0 (only Timeout makes a Candidate, in term >= 1)."""
    st = s.state
    return z3.And([
        z3.Implies(v.currentState[k] != st.const("Follower"), v.currentTerm[k] >= 1)
        for k in range(len(s.server.names))])

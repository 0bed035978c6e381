"""Proof files the tests share: Lemma1 with its one helper at servers=2 terms=2 indexes=2
values=1 capacity=2, a proof that holds and checks in well under a second."""

LEMMA1_PROOF = """
spec = "parallel-raft"
target = "Lemma1"
k = 1
expect = "proved"
[scope]
servers = 2
terms = 2
indexes = 2
values = 1
capacity = 2
[[helpers]]
name = "UpdateSyncRequest_msync_AtMost_mterm"
excludes = "an UpdateSyncRequest whose msync exceeds its mterm"
template = "msg_cmp"
args = { kind = "UpdateSyncRequest", op = "<=", left = "msync", right = "mterm" }
"""

------------------------------ MODULE ParallelRaftLemmas ------------------------------
(***************************************************************************)
(* ASCII transcription of the definitions of seed 000 (ParallelRaft-CE)    *)
(* that its invariants use, kept as close to the seed's text as the TLA+   *)
(* front end of smtspec allows. `smtspec check-lemmas` translates every    *)
(* definition below that names an invariant and proves it equivalent to    *)
(* the hand encoding in invariants.py over all well-typed states of a      *)
(* scope.                                                                  *)
(*                                                                         *)
(* OCR corrections (MODELING.md): \triangleq is ==, \neq is #, \wedge and  *)
(* \vee are /\ and \/, \geq and \leq are >= and <=; the seed's line breaks *)
(* inside Lemma4, Lemma8, Lemma10 and Lemma11 continue the same formula.   *)
(***************************************************************************)
EXTENDS Integers, FiniteSets

CONSTANTS Server, Follower, Candidate, Leader, LeaderCandidate, Nil, Value

CONSTANTS RequestVoteRequest, RequestVoteResponse,
          RequestCommitRequest, RequestCommitResponse,
          RequestSyncRequest, RequestSyncResponse,
          UpdateSyncRequest, UpdateSyncResponse

\* The seed defines Index == Nat and Term == Nat. A scope bounds them: Index = 0..I-1 and
\* Term = 0..T, which is what they mean below as quantifier ranges and function domains.
CONSTANTS Index, Term

VARIABLES messages, currentTerm, currentState, votedFor, sync, endPoint, log, syncTrack,
          halfElections, elections, allLogs, allEntries, allSynced

Quorums == {i \in SUBSET(Server) : Cardinality(i) * 2 > Cardinality(Server)}

Min(s) == IF s = {} THEN -1 ELSE CHOOSE i \in s : \A j \in s : j >= i
Max(s) == IF s = {} THEN -1 ELSE CHOOSE i \in s : \A j \in s : i >= j

\* The seed writes Term \cup {-1}; Term is Nat there, and as a type of values it stays Nat.
Entries == [term : Nat \cup {-1}, date : Nat \cup {-1}, value : Value \cup {Nil}, committed : {TRUE, FALSE}]

logTail(s) == Max({i \in Index : s[i].term # -1})

AllEntries(i) == {<<n, log[i][n]>> : n \in Index}

Lemma1 == \A i \in Server : sync[i] <= currentTerm[i]

Lemma2 == \A i \in Server : currentState[i] = Leader => sync[i] = currentTerm[i]

Lemma3 == \A e, f \in halfElections : e.eterm = f.eterm => e.eleaderCandidate = f.eleaderCandidate

Lemma4 == \A e \in elections : \E f \in halfElections : /\ e.eterm = f.eterm
                                                        /\ e.eleader = f.eleaderCandidate

Lemma5 == \A e, f \in elections : e.eterm = f.eterm => e.eleader = f.eleader

Lemma6 == \A i \in Server : currentState[i] = Leader => currentTerm[i] = sync[i]

Lemma7 == \A e \in halfElections : e.esync < e.eterm

Lemma8 == \A i, j \in Server, n \in Index : log[i][n].term = log[j][n].term =>
              log[i][n].value = log[j][n].value

Lemma9 == \A s1, s2 \in allSynced : s1[1] = s2[1] => s1 = s2

Lemma10 == \A e1, e2 \in elections : e1.eterm < e2.eterm =>
               \E s \in allSynced : s[1] = e1.eterm

Lemma11 == LET indexes(i, t) == {n \in Index : log[i][n].term = t}
               entries(i, t) == {<<n, log[i][n]>> : n \in indexes(i, t)}
           IN \A i \in Server : \A t \in Term :
                 t < sync[i] /\ (\E e \in elections : e.eterm = t) =>
                    \E s \in allSynced : s[1] = t /\ entries(i, t) = s[3]

Lemma12 == \A i \in Server : \A e \in AllEntries(i) : e[2].term <= sync[i]

Lemma13 == \A e \in halfElections : \A f \in elections : f.eterm <= e.esync \/ f.eterm >= e.eterm

syncCompleteness == \A i, j \in Server :
    {e \in AllEntries(i) : e[2].term >= 0 /\ e[2].term < Min({sync[i], sync[j]})} =
    {e \in AllEntries(j) : e[2].term >= 0 /\ e[2].term < Min({sync[i], sync[j]})}

(***************************************************************************)
(* TypeSafety, conjunct by conjunct in the seed's order, in the reading of *)
(* invariants.py. Where it deviates from the seed's text:                  *)
(* - allLogs \in SUBSET (SUBSET allEntries): a log is a function, not a    *)
(*   set of pairs, so as written the conjunct is not a set inclusion (TLC  *)
(*   would stop with an error once allLogs is not empty). It is read as    *)
(*   "every log, as its set of pairs <<n, l[n]>>, is a subset of           *)
(*   allEntries".                                                          *)
(* - endPoint is given two shapes, a record [date, index] and a pair; the  *)
(*   actions write pairs <<date, index>> (BecomeLeaderCandidate,           *)
(*   HandleRequestSyncRequest), so the record conjunct could never hold    *)
(*   together with the pair conjunct. Both are read as the one conjunct on *)
(*   pairs below.                                                          *)
(* - Index and Term are Nat in the seed: as types of values (Term \cup     *)
(*   {-1}, Index \cup {-1}, eterm : Term) they are written Nat here; as    *)
(*   domains ([Term -> ...], [Index -> ...]) they are the scope's sets.    *)
(***************************************************************************)
TypeSafety ==
    /\ \A l \in allLogs : {<<n, l[n]>> : n \in DOMAIN l} \subseteq allEntries
    /\ currentTerm \in [Server -> Nat]
    /\ currentState \in [Server -> {Follower, Leader, LeaderCandidate, Candidate}]
    /\ votedFor \in [Server -> Server \cup {Nil}]
    /\ sync \in [Server -> Nat \cup {-1}]
    /\ endPoint \in [Server -> [Term -> ((Nat \cup {-1}) \X (Nat \cup {-1}))]]
    /\ log \in [Server -> [Index -> [term : Nat \cup {-1}, date : Nat \cup {-1}, value : Value \cup {Nil}, committed : {TRUE, FALSE}]]]
    /\ syncTrack \in [Server -> [Server -> Nat]]
    /\ halfElections \subseteq [eterm : Nat, eleaderCandidate : Server, esync : Nat, evotes : Quorums, elog : [Index -> Entries]]
    /\ elections \subseteq [eterm : Nat, esync : Nat, eleader : Server, evotes : Quorums, evoterLog : SUBSET [Index -> Entries], elog : [Index -> Entries]]

=======================================================================================

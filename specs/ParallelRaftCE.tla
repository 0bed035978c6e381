--------------------------- MODULE ParallelRaftCE ---------------------------
(***************************************************************************)
(* ParallelRaft-CE: Raft with out-of-order commit, a LeaderCandidate phase *)
(* that merges the uncommitted tail of a quorum, and "sync" terms.         *)
(*                                                                         *)
(* The seed seeds/000_ba7def4aa963ccd6.txt (an OCR copy of the typeset     *)
(* specification) transcribed into ASCII TLA+. Nothing is fixed: every     *)
(* OCR correction is marked "OCR:", every defect of the seed that          *)
(* MODELING.md lists is marked "SEED DEFECT:" and kept as written, and     *)
(* other oddities kept as written are marked "NOTE:".                      *)
(*                                                                         *)
(* The Z3 encoding of this module is encodings/parallel_raft/ (`smtspec    *)
(* list` prints its bounds and narrowings). Its lemmas.tla repeats the     *)
(* invariants below; tests/test_spec_files.py checks that they are the     *)
(* same text, except TypeSafety (and Entries), whose seed text is kept     *)
(* here and read there.                                                    *)
(*                                                                         *)
(* Index and Term are Nat, as the seed defines them: Init builds functions *)
(* over Nat, so a TLC model must override them (smtspec's scope reads     *)
(* them as Index = 0..I-1 and Term = 0..T).                                *)
(***************************************************************************)

\* OCR: the scan has no module header -> "MODULE ParallelRaftCE" (reason: a module needs one; named after this file)
\* OCR (throughout): \triangleq -> == (MODELING.md)
\* OCR (throughout): \mapsto -> |->, \rightarrow -> ->, \langle ... \rangle -> << ... >>, \times -> \X (MODELING.md; LaTeX rendering of the ASCII operators)
\* OCR (throughout): \wedge, \vee, \neg, \neq, \geq, \leq, \Rightarrow, \forall, \exists -> /\, \/, ~, #, >=, <=, =>, \A, \E (LaTeX rendering of the ASCII operators)
\* OCR (throughout): \text{...}, \quad, &, \\ and the aligned/array blocks -> dropped; layout rebuilt as bulleted /\ and \/ lists (LaTeX typesetting)
\* OCR (throughout): "\square" in CASE -> [] ; "\Box[Next]_{vars}" -> [][Next]_vars (LaTeX rendering of the ASCII operators)

\* OCR: "EXTENDS *Integers, FiniteSets, Sequences, TLC, Naturals*" -> no asterisks (reason: Markdown italics of the scan)
EXTENDS Integers, FiniteSets, Sequences, TLC, Naturals

\* OCR: "CONSTANTS *Server, ... Value*" -> no asterisks (reason: Markdown italics of the scan)
CONSTANTS Server, Follower, Candidate, Leader, LeaderCandidate, Nil, Value

\* SEED DEFECT: RequestCommitRequest and RequestCommitResponse are declared and never sent
\* (MODELING.md); kept.
\* OCR: "CONSTANTS *RequestVoteRequest, RequestVoteResponse,*" -> no asterisks (reason: Markdown italics of the scan)
CONSTANTS RequestVoteRequest, RequestVoteResponse,
          RequestCommitRequest, RequestCommitResponse,
          RequestSyncRequest, RequestSyncResponse,
          UpdateSyncRequest, UpdateSyncResponse

\* OCR: "VARIABLE *messages,*" -> no asterisks (reason: Markdown italics of the scan)
VARIABLE messages,
         currentTerm,
         currentState,
         votedFor,
         sync,
         endPoint

serverVars == <<currentTerm, currentState, votedFor, sync, endPoint>>

\* OCR: "VARIABLE *log*", "VARIABLE *syncTrack*" ... -> no asterisks (reason: Markdown italics of the scan)
VARIABLE log

VARIABLE syncTrack
leaderVars == <<syncTrack>>

VARIABLE halfElections
VARIABLE elections
electionVars == <<halfElections, elections>>

VARIABLE allLogs
VARIABLE allEntries
VARIABLE allSynced

vars == <<messages, allLogs, allEntries, log, serverVars, leaderVars, allSynced, electionVars>>

Quorums == {i \in SUBSET(Server) : Cardinality(i) * 2 > Cardinality(Server)}

Send(m) == messages' = messages \cup {m}

Index == Nat
Term == Nat

Min(s) == IF s = {} THEN -1 ELSE CHOOSE i \in s : \A j \in s : j >= i
Max(s) == IF s = {} THEN -1 ELSE CHOOSE i \in s : \A j \in s : i >= j

InitServerVars == LET k == CHOOSE x \in Server : x \in Server
                  IN
                  /\ currentTerm = [i \in Server |-> 0]
                  /\ sync = [i \in Server |-> 0]
                  /\ currentState = [i \in Server |-> Follower]
                  /\ endPoint = [i \in Server |-> [n \in Term |-> <<-1, -1>>]]
                  /\ votedFor = [i \in Server |-> Nil]

InitLeaderVars == /\ syncTrack = [i \in Server |-> [j \in Server |-> 0]]

InitHistoryVars == /\ halfElections = {}
                   /\ elections = {}
                   /\ allLogs = {}
                   /\ allEntries = {}
                   /\ allSynced = {}

InitLogVars == /\ log = [i \in Server |-> [n \in Index |-> [term |-> -1, date |-> -1, value |-> Nil, committed |-> FALSE]]]

Init == /\ messages = {}
        /\ InitServerVars
        /\ InitLeaderVars
        /\ InitLogVars
        /\ InitHistoryVars

Entries == [term : Term \cup {-1}, date : Term \cup {-1}, value : Value \cup {Nil}, committed : {TRUE, FALSE}]

\* SEED DEFECT: TypeSafety gives endPoint two shapes, a record [date, index] and a pair, while the
\* actions write pairs endPoint[i][t] = <<date, index>> (BecomeLeaderCandidate,
\* HandleRequestSyncRequest), so the record conjunct and the pair conjunct cannot both hold;
\* and it compares logs with sets of pairs: allLogs holds logs (functions Index -> entry), not
\* subsets of allEntries (a set of pairs <<n, entry>>) (MODELING.md). Kept as written; the
\* encoding checks the reading in encodings/parallel_raft/lemmas.tla, conjunct by conjunct.
\* NOTE: as written, log's term field is typed Index \cup {-1} (Index and Term are both Nat).
TypeSafety == /\ allLogs \in SUBSET (SUBSET allEntries)
              /\ currentTerm \in [Server -> Nat]
              /\ currentState \in [Server -> {Follower, Leader, LeaderCandidate, Candidate}]
              /\ votedFor \in [Server -> Server \cup {Nil}]
              /\ sync \in [Server -> Nat \cup {-1}]
              /\ endPoint \in [Server -> [Term -> [date : Term \cup {-1}, index : Index \cup {-1}]]]
              /\ endPoint \in [Server -> [Term -> ((Term \cup {-1}) \X (Index \cup {-1}))]]
              /\ log \in [Server -> [Index -> [term : Index \cup {-1}, date : Term \cup {-1}, value : Value \cup {Nil}, committed : {TRUE, FALSE}]]]
              /\ syncTrack \in [Server -> [Server -> Nat]]
              /\ halfElections \subseteq [eterm : Nat, eleaderCandidate : Server, esync : Nat, evotes : Quorums, elog : [Index -> Entries]]
              /\ elections \subseteq [eterm : Term, esync : Term, eleader : Server, evotes : Quorums, evoterLog : SUBSET [Index -> Entries], elog : [Index -> Entries]]

logTail(s) == Max({i \in Index : s[i].term # -1})

Restart(i) ==
    /\ currentState' = [currentState EXCEPT ![i] = Follower]
    /\ syncTrack' = [syncTrack EXCEPT ![i] = [j \in Server |-> 0]]
    /\ UNCHANGED <<messages, currentTerm, endPoint, sync, votedFor, log,
                   electionVars, allSynced>>

Timeout(i) ==
    /\ currentState[i] \in {Follower, Candidate}
    /\ currentState' = [currentState EXCEPT ![i] = Candidate]
    /\ currentTerm' = [currentTerm EXCEPT ![i] = currentTerm[i] + 1]
    /\ currentTerm[i] + 1 \in Term
    /\ votedFor' = [votedFor EXCEPT ![i] = Nil]
    /\ UNCHANGED <<messages, leaderVars, sync, endPoint, log, syncTrack,
                   electionVars, allSynced>>

UpdateTerm(i) ==
    /\ \E m \in messages :
          /\ m.mterm > currentTerm[i]
          /\ \/ m.mdest = i
             \/ m.mdest = Nil
          /\ currentTerm' = [currentTerm EXCEPT ![i] = m.mterm]
          /\ currentState' = [currentState EXCEPT ![i] = Follower]
          /\ votedFor' = [votedFor EXCEPT ![i] = Nil]
    /\ UNCHANGED <<messages, sync, log, leaderVars, electionVars, allSynced, endPoint>>

RequestVote(i) ==
    /\ currentState[i] = Candidate
    /\ Send([mtype |-> RequestVoteRequest,
             mterm |-> currentTerm[i],
             msync |-> sync[i],
             msource |-> i,
             mdest |-> Nil])
    /\ UNCHANGED <<serverVars, leaderVars, log, electionVars, allSynced>>

HandleRequestVoteRequest(i) ==
    /\ \E m \in messages :
          LET j == m.msource
              syncOK == /\ m.msync >= sync[i]
              grant == /\ syncOK
                       /\ votedFor[i] \in {Nil, j}
                       /\ currentTerm[i] = m.mterm
          IN
          /\ m.mterm <= currentTerm[i]
          /\ m.mtype = RequestVoteRequest
          /\ \/ grant /\ votedFor' = [votedFor EXCEPT ![i] = j]
             \/ ~grant /\ UNCHANGED votedFor
          /\ Send([mtype |-> RequestVoteResponse,
                   mterm |-> currentTerm[i],
                   mvoteGranted |-> grant,
                   mlog |-> LET C == {n \in Index : log[i][n].term = sync[i]}
                            IN {<<n, log[i][n]>> : n \in C},
                   mend |-> endPoint[i][m.msync],
                   msource |-> i,
                   mdest |-> j])
          /\ UNCHANGED <<currentTerm, currentState, sync, log, leaderVars,
                         electionVars, allSynced, endPoint>>

Merge(entries, term, date) == IF entries = {} THEN [term |-> term,
                                                    date |-> date,
                                                    value |-> Nil,
                                                    committed |-> FALSE]
                              ELSE
                              LET
                                  committed == {e \in entries : e.committed = TRUE}
                                  chosen ==
                                      CASE committed = {} -> CHOOSE x \in entries :
                                                                 \A y \in entries : x.date >= y.date
                                        [] committed # {} -> CHOOSE x \in committed : TRUE
                              IN
                                  [term |-> chosen.term,
                                   date |-> date,
                                   value |-> chosen.value,
                                   committed |-> chosen.committed]

BecomeLeaderCandidate(i) ==
    /\ currentState[i] = Candidate
    /\ \E P, Q \in Quorums :
          LET voteResponded == {m \in messages : /\ m.mtype = RequestVoteResponse
                                                 /\ m.mdest = i
                                                 /\ m.msource \in P
                                                 /\ m.mterm = currentTerm[i]}
              voteGranted == {m \in voteResponded : /\ m.mvoteGranted = TRUE
                                                    /\ m.msource \in Q}
              allLog == UNION {m.mlog : m \in voteResponded}
              end == LET allPoint == {m.mend : m \in voteResponded}
                         e == CHOOSE e1 \in allPoint : (\A e2 \in allPoint : e1[1] >= e2[1])
                     IN IF e[1] = -1 THEN Max({e1[1] : e1 \in allLog})
                        ELSE e[2]
              \* OCR: "0 \dots end" -> 0 .. end (reason: LaTeX rendering of ..)
              toRecover == {n \in 0 .. end : log[i][n].committed = FALSE}
              toSync == {<<n, Merge({l[2] : l \in {t \in allLog : t[1] = n}}, sync[i], currentTerm[i])>>
                            : n \in toRecover}
          IN
          /\ \A q \in Q : \E m \in voteGranted : m.msource = q
          /\ log' = [log EXCEPT ![i] = IF end = -1 THEN [n \in Index |-> IF log[i][n].term = sync[i] THEN
                                                                             [term |-> -1,
                                                                              date |-> -1,
                                                                              value |-> Nil,
                                                                              committed |-> FALSE]
                                                                         ELSE log[i][n]]
                                       ELSE [n \in Index |-> IF n \in toRecover THEN
                                                                 (CHOOSE e \in toSync : e[1] = n)[2]
                                                             ELSE IF (n > end) THEN
                                                                 [term |-> -1,
                                                                  date |-> -1,
                                                                  value |-> Nil,
                                                                  committed |-> FALSE]
                                                             ELSE log[i][n]]]
          /\ endPoint' = [endPoint EXCEPT ![i][sync[i]] = <<currentTerm[i], end>>]
          /\ halfElections' = halfElections \cup {[eterm |-> currentTerm[i],
                                                   eleaderCandidate |-> i,
                                                   esync |-> sync[i],
                                                   evotes |-> Q,
                                                   elog |-> log[i]]}
          /\ currentState' = [currentState EXCEPT ![i] = LeaderCandidate]
          /\ syncTrack' = [syncTrack EXCEPT ![i] = [j \in Server |-> sync[i]]]
          /\ UNCHANGED <<messages, currentTerm, votedFor, sync, elections, allSynced>>

RequestSync(i) ==
    /\ currentState[i] \in {LeaderCandidate, Leader}
    \* OCR: "0 \dots sync[i]" -> 0 .. sync[i] (reason: LaTeX rendering of ..)
    /\ \E s \in 0 .. sync[i] :
          LET start == Min({n \in Index : log[i][n].term = s})
              end == Max({n \in Index : log[i][n].term = s})
          IN
          /\ Send([mtype |-> RequestSyncRequest,
                   mterm |-> currentTerm[i],
                   msync |-> s,
                   mstart |-> start,
                   mend |-> end,
                   \* OCR: "start \dots end" -> start .. end (reason: LaTeX rendering of ..)
                   mentries |-> IF start = -1 THEN Nil ELSE [n \in start .. end |-> log[i][n]],
                   msource |-> i,
                   mdest |-> Nil])
    /\ UNCHANGED <<serverVars, log, electionVars, syncTrack, allSynced>>

HandleRequestSyncRequest(i) ==
    /\ \E m \in messages :
          LET j == m.msource
              grant == /\ m.mterm = currentTerm[i]
                       /\ m.msync = sync[i]
          IN
          /\ m.mtype = RequestSyncRequest
          /\ m.mterm <= currentTerm[i]
          /\ j # i
          /\ \/ /\ grant
                /\ log' = [log EXCEPT ![i] = IF m.mstart = -1 THEN
                                                 [n \in Index |-> IF log[i][n].term = sync[i] THEN
                                                                      [term |-> -1,
                                                                       date |-> -1,
                                                                       value |-> Nil,
                                                                       committed |-> FALSE]
                                                                  ELSE
                                                                      log[i][n]]
                                             ELSE
                                                 [n \in Index |-> IF n < m.mstart THEN log[i][n]
                                                                  \* OCR: "m.mstart \dots m.mend" -> m.mstart .. m.mend (reason: LaTeX rendering of ..)
                                                                  ELSE IF n \in m.mstart .. m.mend
                                                                       THEN m.mentries[n]
                                                                  ELSE [term |-> -1,
                                                                        date |-> -1,
                                                                        value |-> Nil,
                                                                        committed |-> FALSE]]]
                /\ endPoint' = [endPoint EXCEPT ![i][sync[i]] = <<currentTerm[i], m.mend>>]
             \/ /\ ~grant
                /\ UNCHANGED <<log, endPoint>>
          /\ Send([mtype |-> RequestSyncResponse,
                   mterm |-> currentTerm[i],
                   msyncGranted |-> grant,
                   msync |-> sync[i],
                   mstart |-> m.mstart,
                   mend |-> m.mend,
                   msource |-> i,
                   mdest |-> j])
          /\ UNCHANGED <<currentTerm, currentState, sync, votedFor, electionVars, syncTrack, allSynced>>

\* NOTE: as written, the UpdateSyncRequest sent here has mdest = {j}, a set, like UpdateSync's
\* mdest = Q (HandleUpdateSyncRequest reads i \in m.mdest); and its msync ranges over
\* {k \in Nat : ...}, which TLC cannot enumerate (only terms present in log[i] qualify).
HandleRequestSyncResponse(i) ==
    /\ \E m \in messages :
          LET j == m.msource IN
          /\ m.mtype = RequestSyncResponse
          /\ m.mdest = i
          /\ currentTerm[i] = m.mterm
          /\ currentState[i] \in {Leader, LeaderCandidate}
          /\ syncTrack' = [syncTrack EXCEPT ![i][j] = m.msync]
          /\ \/ /\ m.msyncGranted
                /\ m.msync < sync[i]
                /\ Send([mtype |-> UpdateSyncRequest,
                         mterm |-> currentTerm[i],
                         \* OCR: "\log[i][n]" -> log[i][n] (reason: LaTeX typeset the variable log as the function \log)
                         msync |-> Min({sync[i]} \cup {k \in Nat : k > m.msync /\
                                                          Cardinality({n \in Index : log[i][n].term = k}) > 0}),
                         msource |-> i,
                         mdest |-> {j}])
             \/ /\ ~m.msyncGranted
                /\ UNCHANGED messages
          /\ UNCHANGED <<serverVars, log, electionVars, allSynced>>

UpdateSync(i) ==
    /\ currentState[i] = LeaderCandidate
    /\ \E Q \in Quorums :
          LET syncUpdated == {m \in messages : /\ m.mtype = RequestSyncResponse
                                               /\ m.mterm = currentTerm[i]
                                               /\ m.msyncGranted = TRUE
                                               /\ m.msync = sync[i]
                                               /\ m.msource \in Q
                                               /\ m.mdest = i}
          IN
          /\ \A q \in Q : (\E m \in syncUpdated : m.msource = q) \/ q = i
          \* OCR: "\log[i][n]" -> log[i][n] (reason: LaTeX typeset the variable log as the function \log)
          /\ allSynced' = LET indexes == {n \in Index : log[i][n].term = sync[i]}
                              entries == {<<n, [term |-> log[i][n].term,
                                                date |-> log[i][n].date,
                                                value |-> log[i][n].value,
                                                committed |-> TRUE]>> : n \in indexes}
                          IN allSynced \cup {<<sync[i], endPoint[i][sync[i]][2], entries>>}
          /\ Send([mtype |-> UpdateSyncRequest,
                   mterm |-> currentTerm[i],
                   msync |-> currentTerm[i],
                   msource |-> i,
                   mdest |-> Q])
    \* OCR: "\log" -> log (reason: LaTeX typeset the variable log as the function \log)
    /\ UNCHANGED <<serverVars, log, leaderVars, electionVars>>

HandleUpdateSyncRequest(i) ==
    \E m \in messages :
        LET grant == /\ currentTerm[i] = m.mterm
                     /\ m.msync > sync[i]
            j == m.msource
        IN
        /\ m.mtype = UpdateSyncRequest
        /\ i \in m.mdest
        /\ m.mterm <= currentTerm[i]
        /\ \/ /\ grant
              \* OCR: "m.msyntax" -> m.msync (MODELING.md)
              /\ sync' = [sync EXCEPT ![i] = m.msync]
              /\ log' = [log EXCEPT ![i] = [n \in Index |->
                            IF log[i][n].term = sync[i] THEN
                                [term |-> log[i][n].term,
                                 date |-> log[i][n].date,
                                 value |-> log[i][n].value,
                                 committed |-> TRUE]
                            ELSE log[i][n]]]
           \/ /\ ~grant
              /\ UNCHANGED <<log, sync>>
        /\ Send([mtype |-> UpdateSyncResponse,
                 mterm |-> currentTerm[i],
                 mupdateSyncGranted |-> grant,
                 msync |-> sync'[i],
                 msource |-> i,
                 mdest |-> j])
        /\ UNCHANGED <<currentTerm, currentState, votedFor, endPoint, leaderVars, electionVars, allSynced>>

HandleUpdateSyncResponse(i) ==
    /\ \E m \in messages :
          \* OCR: "LET j \triangleq m.msourceIN" -> LET j == m.msource IN (MODELING.md)
          LET j == m.msource IN
          /\ m.mtype = UpdateSyncResponse
          /\ m.mdest = i
          /\ currentTerm[i] = m.mterm
          /\ currentState[i] \in {Leader, LeaderCandidate}
          /\ \/ /\ m.mupdateSyncGranted
                \* OCR: "m.msyntax" -> m.msync (MODELING.md)
                /\ syncTrack' = [syncTrack EXCEPT ![i][j] = m.msync]
             \/ /\ ~m.mupdateSyncGranted
                /\ UNCHANGED syncTrack
    \* OCR: "\log" -> log (reason: LaTeX typeset the variable log as the function \log)
    /\ UNCHANGED <<messages, serverVars, log, electionVars, allSynced>>

\* NOTE: as written, elections' is a conjunct inside \A q \in Q; a quorum is never empty, so this
\* is the same as a conjunct of \E Q.
BecomeLeader(i) ==
    /\ currentState[i] = LeaderCandidate
    /\ \E Q \in Quorums : \A q \in Q : (q = i \/ syncTrack[i][q] = currentTerm[i])
          /\ elections' = elections \cup {[eterm |-> currentTerm[i],
                                           esync |-> sync[i],
                                           eleader |-> i,
                                           evotes |-> Q,
                                           evoterLog |-> {log[k] : k \in Q},
                                           elog |-> log[i]]}
    /\ sync' = [sync EXCEPT ![i] = currentTerm[i]]
    /\ currentState' = [currentState EXCEPT ![i] = Leader]
    \* OCR: "\log' = [\log EXCEPT ![i] = ... \log[i][n] ..." -> log (reason: LaTeX typeset the variable log as the function \log)
    /\ log' = [log EXCEPT ![i] = [n \in Index |->
                  IF log[i][n].term = sync[i] THEN
                      [term |-> log[i][n].term,
                       date |-> log[i][n].date,
                       value |-> log[i][n].value,
                       committed |-> TRUE]
                  ELSE log[i][n]]]
    /\ UNCHANGED <<messages, currentTerm, votedFor, endPoint, leaderVars, halfElections, allSynced>>

ClientRequest(i, v) ==
    \* OCR: "\log\text{Tail}(\log[i])" -> logTail(log[i]) (reason: LaTeX typeset log as the function \log)
    LET nextIndex == logTail(log[i]) + 1
        entry == [term |-> currentTerm[i],
                  date |-> currentTerm[i],
                  value |-> v,
                  committed |-> FALSE]
    IN
    /\ currentState[i] = Leader
    /\ nextIndex \in Nat
    /\ log' = [log EXCEPT ![i][nextIndex] = entry]
    /\ UNCHANGED <<messages, serverVars, electionVars, syncTrack, allSynced>>

\* SEED DEFECT: CommitEntry both assigns log' and lists log in UNCHANGED (so it is enabled only
\* when log[i][n].committed is already TRUE, and then changes nothing), and it is not a disjunct
\* of Next: it is dead code (MODELING.md). Kept as written.
CommitEntry(i, n) ==
    /\ \E Q \in Quorums :
          \* OCR: "m.type" -> m.mtype (MODELING.md)
          \* OCR: "n \in m.mstart \dots m.mend" -> m.mstart .. m.mend (reason: LaTeX rendering of ..)
          LET succ == {m \in messages : /\ m.mtype = RequestSyncResponse
                                        /\ m.msyncGranted = TRUE
                                        /\ m.mdest = i
                                        /\ m.mterm = currentTerm[i]
                                        /\ m.msource \in Q
                                        /\ n \in m.mstart .. m.mend}
          IN /\ \A q \in Q : \E m \in succ : (m.msource = q \/ q = i)
             /\ log' = [log EXCEPT ![i][n].committed = TRUE]
    /\ currentState[i] = Leader
    /\ UNCHANGED <<messages, serverVars, log, syncTrack, electionVars, allSynced>>

\* NOTE: as written, RequestSync(i) and UpdateSync(i) are quantified over i, j \in Server; j is unused.
\* SEED DEFECT: allLogs' and allEntries' are updated on every step, from the pre-state logs
\* (MODELING.md). Kept as written.
\* SEED DEFECT: CommitEntry is not a disjunct of Next (MODELING.md). Kept as written.
\* OCR: "\log[i]" -> log[i] (reason: LaTeX typeset the variable log as the function \log)
Next == /\ \/ \E i \in Server : Restart(i)
           \/ \E i \in Server : Timeout(i)
           \/ \E i \in Server : UpdateTerm(i)
           \/ \E i \in Server : RequestVote(i)
           \/ \E i \in Server : HandleRequestVoteRequest(i)
           \/ \E i \in Server : BecomeLeaderCandidate(i)
           \/ \E i \in Server : BecomeLeader(i)
           \/ \E i \in Server, v \in Value : ClientRequest(i, v)
           \/ \E i, j \in Server : RequestSync(i)
           \/ \E i \in Server : HandleRequestSyncRequest(i)
           \/ \E i \in Server : HandleRequestSyncResponse(i)
           \/ \E i, j \in Server : UpdateSync(i)
           \/ \E i \in Server : HandleUpdateSyncRequest(i)
           \/ \E i \in Server : HandleUpdateSyncResponse(i)
        /\ allLogs' = allLogs \cup {log[i] : i \in Server}
        /\ LET entries(i) == {<<n, log[i][n]>> : n \in Index}
           IN
           allEntries' = allEntries \cup UNION {entries(i) : i \in Server}

\* OCR: the scan's first "\hline" -> the separator line ---- (reason: the typeset rule of a ---- line)
-----------------------------------------------------------------------------

\* OCR: "\log[i][n]" -> log[i][n] in AllEntries, Lemma8, Lemma11 (reason: LaTeX typeset the variable log as the function \log)
AllEntries(i) == {<<n, log[i][n]>> : n \in Index}

Lemma1 == \A i \in Server : sync[i] <= currentTerm[i]

\* SEED DEFECT: Lemma2 and Lemma6 state the same property (MODELING.md). Both kept.
Lemma2 == \A i \in Server : currentState[i] = Leader => sync[i] = currentTerm[i]

Lemma3 == \A e, f \in halfElections : e.eterm = f.eterm => e.eleaderCandidate = f.eleaderCandidate

Lemma4 == \A e \in elections : \E f \in halfElections : /\ e.eterm = f.eterm
                                                        /\ e.eleader = f.eleaderCandidate

Lemma5 == \A e, f \in elections : e.eterm = f.eterm => e.eleader = f.eleader

\* SEED DEFECT: Lemma6 is Lemma2 with the equation's sides swapped (MODELING.md). Kept.
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

Spec == Init /\ [][Next]_vars

\* OCR: the scan's second "\hline" -> ==== (reason: the module's end line; the modification history follows it)
=============================================================================
\* Modification History
\* Last modified Fri Sep 11 15:41:13 CST 2020 by 15150

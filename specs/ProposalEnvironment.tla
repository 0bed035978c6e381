-------------------------- MODULE ProposalEnvironment --------------------------
(***************************************************************************)
(* The uONOS Config controller around its Proposal reconciler: the closed *)
(* system that smtspec checks as `onos-config`. Model-check this module.   *)
(*                                                                         *)
(* Proposal.tla is the seed (seeds/003_5371042e9247daeb.txt), instantiated *)
(* below as Proposal!. This module writes in TLA+ what                     *)
(* onos-config-environment.md states in prose: the constants, Init, the    *)
(* Transaction, Configuration, Mastership and Target behaviour, Next, the  *)
(* four state constraints and the invariants TypeOK, Order and Consistency *)
(* with their conjuncts. Each definition cites the part of that page it    *)
(* reads. The invariants are the text of encodings/onos_config/lemmas.tla  *)
(* (tests/test_spec_files.py checks it), which `smtspec check-lemmas`      *)
(* proves equivalent to the Z3 encoding. The encoding's bounds and         *)
(* narrowings (`smtspec list`) are not part of this module.                *)
(*                                                                         *)
(* The original model's TLC configuration (the default scope of smtspec):  *)
(*   SPECIFICATION Spec                                                    *)
(*   CONSTANTS Node = {"node1"}  Path = {"path1"}                          *)
(*             Value = {"value1", "value2"}  NumTransactions = 4           *)
(*             NumTerms = 2  NumConns = 2  NumStarts = 2                   *)
(*   CONSTRAINTS LimitTransactions LimitTerms LimitConns LimitStarts       *)
(*   INVARIANTS TypeOK Order Consistency                                   *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences, TLC

(***************************************************************************)
(* Constants and values (environment, "Constants and values").             *)
(***************************************************************************)

\* "Nil is the string "<nil>". Change, Rollback, Commit, Apply, Pending, InProgress, Complete,
\* Aborted, Failed are strings of the same spelling. Done = {Complete, Aborted, Failed}."
\* They are the Proposal module's CONSTANTS of the same names (INSTANCE Proposal below).
Nil == "<nil>"

Change == "Change"
Rollback == "Rollback"

Commit == "Commit"
Apply == "Apply"

Pending == "Pending"
InProgress == "InProgress"
Complete == "Complete"
Aborted == "Aborted"
Failed == "Failed"

Done == {Complete, Aborted, Failed}

\* "Node = {"node1"}, Path = {"path1"}, Value = {"value1", "value2"}, NumTransactions = 4,
\* NumTerms = 2, NumConns = 2, NumStarts = 2 (all flags)". Node is also the Proposal module's.
CONSTANTS Node, Path, Value

CONSTANTS NumTransactions, NumTerms, NumConns, NumStarts

\* "A value map is a partial function Path -> [index: Nat, value: Value or Nil]; empty is the
\* map with empty domain." Every function with an empty domain is this one.
Empty == [p \in {} |-> [index |-> 0, value |-> Nil]]

(***************************************************************************)
(* State (environment, "State").                                            *)
(***************************************************************************)

\* sequence of [type, index, values: Path -> Value (partial), init, commit, apply]
VARIABLE transaction

\* sequence of [change: [phase, state, values: value map],
\*              rollback: [phase, state, revision, values: value map]]
VARIABLE proposal

\* [state, term, committed: [index, revision, values: value map],
\*  applied: [index, revision, target, values: value map]]
VARIABLE configuration

\* [master: Node or Nil, term, conn]
VARIABLE mastership

\* Node -> [id, connected: BOOLEAN]
VARIABLE conn

\* [id, running: BOOLEAN, values: value map]
VARIABLE target

\* sequence of [type, phase, index], appended by the Proposal actions of the seed
VARIABLE history

vars == <<transaction, proposal, configuration, mastership, conn, target, history>>

\* The seed's module. Its CONSTANTS (Nil, Change, Rollback, Commit, Apply, Pending, InProgress,
\* Complete, Failed, Node) and VARIABLES (configuration, mastership, conn, target, proposal,
\* history) are substituted by the definitions and variables of the same names above.
Proposal == INSTANCE Proposal

(***************************************************************************)
(* Init (environment, "Init").                                              *)
(***************************************************************************)

Init ==
   /\ transaction = <<>>
   /\ proposal = <<>>
   /\ history = <<>>
   /\ configuration = [state     |-> InProgress,
                       term      |-> 0,
                       committed |-> [index |-> 0, revision |-> 0, values |-> Empty],
                       applied   |-> [index |-> 0, revision |-> 0, target |-> 0, values |-> Empty]]
   /\ target = [id |-> 0, running |-> FALSE, values |-> Empty]
   /\ mastership = [master |-> Nil, term |-> 0, conn |-> 0]
   /\ conn = [n \in Node |-> [id |-> 0, connected |-> FALSE]]

(***************************************************************************)
(* Transaction (environment, "Next" and "Transaction rules").               *)
(***************************************************************************)

\* "RequestChange(p, v) for p \in Path, v \in Value: append to transaction the record
\* [type Change, index 0, values (p |-> v), init InProgress, commit Pending, apply Pending]."
RequestChange(p, v) ==
   /\ transaction' = Append(transaction, [type   |-> Change,
                                          index  |-> 0,
                                          values |-> [q \in {p} |-> v],
                                          init   |-> InProgress,
                                          commit |-> Pending,
                                          apply  |-> Pending])
   /\ UNCHANGED <<proposal, configuration, mastership, conn, target, history>>

\* "RequestRollback(i) for i \in DOMAIN transaction: append [type Rollback, index i, values
\* empty, init InProgress, commit Pending, apply Pending]. (The rollback's index is later read
\* as a proposal index; keep it that way.)"
RequestRollback(i) ==
   /\ transaction' = Append(transaction, [type   |-> Rollback,
                                          index  |-> i,
                                          values |-> Empty,
                                          init   |-> InProgress,
                                          commit |-> Pending,
                                          apply  |-> Pending])
   /\ UNCHANGED <<proposal, configuration, mastership, conn, target, history>>

\* "Initialized(k), Committed(k), Applied(k) are TRUE when k is not in DOMAIN transaction, else
\* they say that transaction[k].init (resp. .commit, .apply) is in Done."
Initialized(k) == k \notin DOMAIN transaction \/ transaction[k].init \in Done
Committed(k) == k \notin DOMAIN transaction \/ transaction[k].commit \in Done
Applied(k) == k \notin DOMAIN transaction \/ transaction[k].apply \in Done

\* "PrevRolledBack says: if t.index - 1 \in DOMAIN proposal and that proposal's change is in
\* phase Apply with state Failed, then its rollback is in phase Apply with state Complete."
PrevRolledBack(k) ==
   /\ k - 1 \in DOMAIN proposal
   /\ proposal[k - 1].change.phase = Apply
   /\ proposal[k - 1].change.state = Failed
   => /\ proposal[k - 1].rollback.phase = Apply
      /\ proposal[k - 1].rollback.state = Complete

\* "For t.type = Change, exactly one of:" rules 1-5 (t = transaction[i], P = proposal[t.index]).
\* The rules are alternatives (\/); their guards are disjoint on reachable states. Each rule
\* reads P only after guards that imply t.index \in DOMAIN proposal.
ReconcileChange(i) ==
   LET t == transaction[i]
       P == proposal[t.index]
   IN
   \* 1. Init: create the proposal.
   \/ /\ t.init = InProgress
      /\ Initialized(i - 1)
      /\ LET k == Len(proposal) + 1 IN
         /\ proposal' = Append(proposal,
               [change   |-> [phase  |-> Commit,
                              state  |-> Pending,
                              values |-> [p \in DOMAIN t.values |-> [index |-> k, value |-> t.values[p]]]],
                rollback |-> [phase    |-> Nil,
                              state    |-> Nil,
                              revision |-> 0,
                              values   |-> Empty]])
         /\ transaction' = [transaction EXCEPT ![i].index = k, ![i].init = Complete]
   \* 2. Commit start.
   \/ /\ t.commit = Pending
      /\ t.init = Complete
      /\ Committed(i - 1)
      /\ transaction' = [transaction EXCEPT ![i].commit = InProgress]
      /\ UNCHANGED proposal
   \* 3. Commit progress.
   \/ /\ t.commit = InProgress
      /\ P.change.phase = Commit
      /\ \/ /\ P.change.state = Pending
            /\ proposal' = [proposal EXCEPT
                              ![t.index].change.state = InProgress,
                              ![t.index].rollback.revision = configuration.committed.revision,
                              ![t.index].rollback.values =
                                 [p \in DOMAIN P.change.values |->
                                    IF p \in DOMAIN configuration.committed.values
                                    THEN configuration.committed.values[p]
                                    ELSE [index |-> 0, value |-> Nil]]]
            /\ UNCHANGED transaction
         \/ /\ P.change.state = Complete
            /\ transaction' = [transaction EXCEPT ![i].commit = Complete]
            /\ UNCHANGED proposal
         \/ /\ P.change.state = Failed
            /\ transaction' = [transaction EXCEPT ![i].commit = Failed]
            /\ UNCHANGED proposal
   \* 4. Apply, with t.apply = Pending.
   \/ /\ t.apply = Pending
      /\ \/ /\ t.commit = Complete
            /\ P.change.phase # Apply
            /\ proposal' = [proposal EXCEPT ![t.index].change.phase = Apply,
                                            ![t.index].change.state = Pending]
            /\ UNCHANGED transaction
         \/ /\ t.commit = Complete
            /\ P.change.phase = Apply
            /\ P.change.state = Pending
            /\ Applied(i - 1)
            /\ PrevRolledBack(t.index)
            /\ transaction' = [transaction EXCEPT ![i].apply = InProgress]
            /\ UNCHANGED proposal
         \/ /\ t.commit \in {Aborted, Failed}
            /\ Applied(i - 1)
            /\ PrevRolledBack(t.index)
            /\ transaction' = [transaction EXCEPT ![i].apply = Aborted]
            /\ UNCHANGED proposal
   \* 5. Apply progress.
   \/ /\ t.apply = InProgress
      /\ P.change.phase = Apply
      /\ \/ /\ P.change.state = Pending
            /\ proposal' = [proposal EXCEPT ![t.index].change.state = InProgress]
            /\ UNCHANGED transaction
         \/ /\ P.change.state = Complete
            /\ transaction' = [transaction EXCEPT ![i].apply = Complete]
            /\ UNCHANGED proposal
         \/ /\ P.change.state = Failed
            /\ transaction' = [transaction EXCEPT ![i].apply = Failed]
            /\ UNCHANGED proposal

\* "For t.type = Rollback, exactly one of:" rules 1-5 (t = transaction[i], P = proposal[t.index]).
\* NOTE: the branches that set a proposal's change.state or rollback.state to Aborted write a
\* value outside the seed's Proposal!Status: see the SEED DEFECT at ProposalTypeOK.
ReconcileRollback(i) ==
   LET t == transaction[i]
       P == proposal[t.index]
   IN
   \* 1. Init: proposal unchanged.
   \/ /\ t.init = InProgress
      /\ Initialized(i - 1)
      /\ \/ /\ t.index \in DOMAIN proposal
            /\ \/ /\ \/ t.index + 1 \notin DOMAIN proposal
                     \/ proposal[t.index + 1].rollback.phase # Nil
                  /\ transaction' = [transaction EXCEPT ![i].init = Complete]
               \/ /\ t.index + 1 \in DOMAIN proposal
                  /\ proposal[t.index + 1].rollback.phase = Nil
                  /\ transaction' = [transaction EXCEPT ![i].init = Failed]
         \/ /\ t.index \notin DOMAIN proposal
            /\ transaction' = [transaction EXCEPT ![i].init = Failed]
      /\ UNCHANGED proposal
   \* 2. Commit, with t.commit = Pending and Committed(i-1).
   \/ /\ t.commit = Pending
      /\ Committed(i - 1)
      /\ \/ /\ t.init \in {Aborted, Failed}
            /\ transaction' = [transaction EXCEPT ![i].commit = Aborted]
            /\ UNCHANGED proposal
         \/ /\ t.init = Complete
            /\ P.rollback.phase = Nil
            /\ P.change.phase = Commit
            /\ \/ /\ P.change.state = Pending
                  /\ proposal' = [proposal EXCEPT ![t.index].change.state = Aborted,
                                                  ![t.index].rollback.phase = Commit,
                                                  ![t.index].rollback.state = Aborted]
                  /\ UNCHANGED transaction
               \/ /\ P.change.state = Complete
                  /\ proposal' = [proposal EXCEPT ![t.index].rollback.phase = Commit,
                                                  ![t.index].rollback.state = Pending]
                  /\ UNCHANGED transaction
               \/ /\ P.change.state \in {Aborted, Failed}
                  /\ transaction' = [transaction EXCEPT ![i].commit = Complete]
                  /\ UNCHANGED proposal
               \* "(no branch for state InProgress)"
         \/ /\ t.init = Complete
            /\ P.rollback.phase = Nil
            /\ P.change.phase = Apply
            /\ proposal' = [proposal EXCEPT ![t.index].rollback.phase = Commit,
                                            ![t.index].rollback.state = Pending]
            /\ UNCHANGED transaction
         \/ /\ t.init = Complete
            /\ P.rollback.phase = Commit
            /\ \/ /\ P.rollback.state = Pending
                  /\ transaction' = [transaction EXCEPT ![i].commit = InProgress]
               \/ /\ P.rollback.state = Aborted
                  /\ transaction' = [transaction EXCEPT ![i].commit = Aborted]
            /\ UNCHANGED proposal
   \* 3. Commit progress.
   \/ /\ t.commit = InProgress
      /\ P.rollback.phase = Commit
      /\ \/ /\ P.rollback.state = Pending
            /\ proposal' = [proposal EXCEPT ![t.index].rollback.state = InProgress]
            /\ UNCHANGED transaction
         \/ /\ P.rollback.state = Complete
            /\ transaction' = [transaction EXCEPT ![i].commit = Complete]
            /\ UNCHANGED proposal
         \/ /\ P.rollback.state = Failed
            /\ transaction' = [transaction EXCEPT ![i].commit = Failed]
            /\ UNCHANGED proposal
   \* 4. Apply, with t.apply = Pending and Applied(i-1).
   \/ /\ t.apply = Pending
      /\ Applied(i - 1)
      /\ \/ /\ t.init \in {Aborted, Failed}
            /\ transaction' = [transaction EXCEPT ![i].apply = Aborted]
            /\ UNCHANGED proposal
         \/ /\ t.commit = Complete
            /\ P.rollback.phase = Commit
            /\ P.change.phase = Apply
            /\ \/ /\ P.change.state = Pending
                  /\ proposal' = [proposal EXCEPT ![t.index].change.state = Aborted,
                                                  ![t.index].rollback.phase = Apply,
                                                  ![t.index].rollback.state = Aborted]
                  /\ UNCHANGED transaction
               \/ /\ P.change.state = Complete
                  /\ proposal' = [proposal EXCEPT ![t.index].rollback.phase = Apply,
                                                  ![t.index].rollback.state = Pending]
                  /\ UNCHANGED transaction
               \/ /\ P.change.state \in {Aborted, Failed}
                  /\ transaction' = [transaction EXCEPT ![i].apply = Complete]
                  /\ UNCHANGED proposal
         \/ /\ t.commit = Complete
            /\ P.rollback.phase = Commit
            /\ P.change.phase = Commit
            /\ proposal' = [proposal EXCEPT ![t.index].change.state = Aborted,
                                            ![t.index].rollback.phase = Apply,
                                            ![t.index].rollback.state = Aborted]
            /\ UNCHANGED transaction
         \/ /\ t.commit = Complete
            /\ P.rollback.phase = Apply
            /\ \/ /\ P.rollback.state = Pending
                  /\ transaction' = [transaction EXCEPT ![i].apply = InProgress]
               \/ /\ P.rollback.state = Aborted
                  /\ transaction' = [transaction EXCEPT ![i].apply = Aborted]
            /\ UNCHANGED proposal
   \* 5. Apply progress.
   \/ /\ t.apply = InProgress
      /\ P.rollback.phase = Apply
      /\ \/ /\ P.rollback.state = Pending
            /\ proposal' = [proposal EXCEPT ![t.index].rollback.state = InProgress]
            /\ UNCHANGED transaction
         \/ /\ P.rollback.state = Complete
            /\ transaction' = [transaction EXCEPT ![i].apply = Complete]
            /\ UNCHANGED proposal
         \/ /\ P.rollback.state = Failed
            /\ transaction' = [transaction EXCEPT ![i].apply = Failed]
            /\ UNCHANGED proposal

\* "ReconcileTransaction(n, i) for i \in DOMAIN transaction: the Transaction rules";
\* "ReconcileTransaction changes only transaction and proposal". n is not read.
ReconcileTransaction(n, i) ==
   /\ \/ /\ transaction[i].type = Change
         /\ ReconcileChange(i)
      \/ /\ transaction[i].type = Rollback
         /\ ReconcileRollback(i)
   /\ UNCHANGED <<configuration, mastership, conn, target, history>>

(***************************************************************************)
(* Proposal (the seed).                                                     *)
(***************************************************************************)

\* "ReconcileProposal(n, i) for i \in DOMAIN proposal: the seed's ReconcileProposal(n, i) (it
\* requires mastership.master = n and changes neither mastership nor conn); transaction
\* unchanged." Its four alternatives are Proposal!CommitChange, Proposal!ApplyChange,
\* Proposal!CommitRollback and Proposal!ApplyRollback.
ReconcileProposal(n, i) ==
   /\ Proposal!ReconcileProposal(n, i)
   /\ UNCHANGED <<transaction>>

(***************************************************************************)
(* Configuration, mastership and target (environment, "Configuration,       *)
(* mastership and target rules").                                           *)
(***************************************************************************)

\* "ReconcileConfiguration(n) changes only configuration and target; one of:"
ReconcileConfiguration(n) ==
   /\ \/ /\ configuration.state = Pending
         /\ configuration.term = mastership.term
         /\ mastership.master = n
         /\ configuration' = [configuration EXCEPT !.state = InProgress]
         /\ UNCHANGED target
      \/ /\ configuration.state = InProgress
         /\ configuration.term = mastership.term
         /\ mastership.master = n
         /\ conn[n].id = mastership.conn
         /\ conn[n].connected
         /\ target.running
         /\ target' = [target EXCEPT !.values = configuration.applied.values]
         /\ configuration' = [configuration EXCEPT !.state = Complete,
                                                   !.applied.target = target.id]
      \/ /\ configuration.term < mastership.term
         /\ configuration' = [configuration EXCEPT !.state = Pending,
                                                   !.term = mastership.term]
         /\ UNCHANGED target
   /\ UNCHANGED <<transaction, proposal, mastership, conn, history>>

\* "ReconcileMastership(n) changes only mastership; one of:"
ReconcileMastership(n) ==
   /\ \/ /\ conn[n].connected
         /\ mastership.master = Nil
         /\ mastership' = [master |-> n, term |-> mastership.term + 1, conn |-> conn[n].id]
      \/ /\ \/ ~conn[n].connected
            \/ conn[n].id # mastership.conn
         /\ mastership.master = n
         /\ mastership' = [mastership EXCEPT !.master = Nil]
   /\ UNCHANGED <<transaction, proposal, configuration, conn, target, history>>

\* "Start: guard ~target.running; target.id := target.id + 1, target.running := TRUE."
Start ==
   /\ ~target.running
   /\ target' = [target EXCEPT !.id = target.id + 1, !.running = TRUE]
   /\ UNCHANGED <<transaction, proposal, configuration, mastership, conn, history>>

\* "Stop: guard target.running; target.running := FALSE, target.values := empty, and
\* conn[m].connected := FALSE for every node m."
Stop ==
   /\ target.running
   /\ target' = [target EXCEPT !.running = FALSE, !.values = Empty]
   /\ conn' = [m \in Node |-> [conn[m] EXCEPT !.connected = FALSE]]
   /\ UNCHANGED <<transaction, proposal, configuration, mastership, history>>

\* "Connect(n): guard ~conn[n].connected, target.running; conn[n].id := conn[n].id + 1,
\* conn[n].connected := TRUE."
Connect(n) ==
   /\ ~conn[n].connected
   /\ target.running
   /\ conn' = [conn EXCEPT ![n].id = conn[n].id + 1, ![n].connected = TRUE]
   /\ UNCHANGED <<transaction, proposal, configuration, mastership, target, history>>

\* "Disconnect(n): guard conn[n].connected; conn[n].connected := FALSE."
Disconnect(n) ==
   /\ conn[n].connected
   /\ conn' = [conn EXCEPT ![n].connected = FALSE]
   /\ UNCHANGED <<transaction, proposal, configuration, mastership, target, history>>

(***************************************************************************)
(* Next and Spec (environment, "Next").                                     *)
(***************************************************************************)

Next ==
   \/ \E p \in Path, v \in Value : RequestChange(p, v)
   \/ \E i \in DOMAIN transaction : RequestRollback(i)
   \/ \E n \in Node :
         \/ \E i \in DOMAIN transaction : ReconcileTransaction(n, i)
         \/ \E i \in DOMAIN proposal : ReconcileProposal(n, i)
         \/ ReconcileConfiguration(n)
         \/ ReconcileMastership(n)
         \/ Connect(n)
         \/ Disconnect(n)
   \/ Start
   \/ Stop

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* State constraints (environment, "State constraints (a state violating    *)
(* one is outside the model)"): TLC CONSTRAINTs.                            *)
(***************************************************************************)

LimitTransactions == Len(transaction) <= NumTransactions

LimitTerms ==
   \/ mastership.term < NumTerms
   \/ /\ mastership.term = NumTerms
      /\ mastership.master # Nil

LimitConns ==
   \A n \in Node :
      \/ conn[n].id < NumConns
      \/ /\ conn[n].id = NumConns
         /\ conn[n].connected

\* NOTE: "target.id < 2, or target.id = 2 and target.running (the original writes the literal
\* 2)": kept; the encoding reads this bound as NumStarts (default 2).
LimitStarts ==
   \/ target.id < 2
   \/ /\ target.id = 2
      /\ target.running

(***************************************************************************)
(* Invariants (environment, "Invariants checked by the original model").   *)
(* The text of encodings/onos_config/lemmas.tla, where each definition     *)
(* cites the sentence of the environment it reads.                         *)
(***************************************************************************)

\* "the Transaction module uses {Pending, InProgress, Complete, Aborted, Failed}"; "the
\* Configuration module's status is {Pending, InProgress, Complete}". The Proposal module's
\* Status is Proposal!Status.
TransactionStatus == {Pending, InProgress, Complete, Aborted, Failed}

ConfigurationStatus == {Pending, InProgress, Complete}

\* "Transaction (type in {Change, Rollback}, index a natural, init/commit/apply in the
\* Transaction status set, values strings)".
TransactionTypeOK ==
    \A i \in DOMAIN transaction :
        /\ transaction[i].type \in {Change, Rollback}
        /\ transaction[i].index \in Nat
        /\ transaction[i].init \in TransactionStatus
        /\ transaction[i].commit \in TransactionStatus
        /\ transaction[i].apply \in TransactionStatus
        /\ \A p \in DOMAIN transaction[i].values : transaction[i].values[p] \in STRING

\* "Proposal (the seed's TypeOK: the proposal phase/status invariant)".
\* SEED DEFECT: Proposal!TypeOK allows the states {Nil, Pending, InProgress, Complete, Failed};
\* the Transaction rules can write Aborted, so ProposalTypeOK fails exactly when a proposal can
\* reach Aborted (MODELING.md). Kept as written.
ProposalTypeOK == Proposal!TypeOK

\* "Configuration (state in its status set, every index, revision, term and target a
\* natural)": every field named index, including the entries of the value maps.
ConfigurationTypeOK ==
    /\ configuration.state \in ConfigurationStatus
    /\ configuration.term \in Nat
    /\ configuration.committed.index \in Nat
    /\ configuration.committed.revision \in Nat
    /\ \A p \in DOMAIN configuration.committed.values :
          configuration.committed.values[p].index \in Nat
    /\ configuration.applied.index \in Nat
    /\ configuration.applied.revision \in Nat
    /\ configuration.applied.target \in Nat
    /\ \A p \in DOMAIN configuration.applied.values :
          configuration.applied.values[p].index \in Nat

\* "Mastership (term, conn naturals; master in Node unless Nil)".
MastershipTypeOK ==
    /\ mastership.term \in Nat
    /\ mastership.conn \in Nat
    /\ mastership.master # Nil => mastership.master \in Node

\* "TypeOK is the conjunction of the four modules' type invariants".
TypeOK ==
    /\ TransactionTypeOK
    /\ ProposalTypeOK
    /\ ConfigurationTypeOK
    /\ MastershipTypeOK

\* Order 1: "every history entry h = history[i] is ordered: if h is a Change at phase p, no
\* earlier entry is a Change at phase p with index >= h.index; if h is a Rollback at phase p,
\* there is no earlier entry j that is a Change at phase p with index > h.index unless some
\* entry strictly between j and i is a Rollback at phase p with index = history[j].index".
Order1 ==
    \A i \in DOMAIN history :
        LET h == history[i] IN
        /\ h.type = Change =>
              ~\E j \in 1..(i - 1) :
                  /\ history[j].type = Change
                  /\ history[j].phase = h.phase
                  /\ history[j].index >= h.index
        /\ h.type = Rollback =>
              ~\E j \in 1..(i - 1) :
                  /\ history[j].type = Change
                  /\ history[j].phase = h.phase
                  /\ history[j].index > h.index
                  /\ ~\E r \in (j + 1)..(i - 1) :
                        /\ history[r].type = Rollback
                        /\ history[r].phase = h.phase
                        /\ history[r].index = history[j].index

\* Order 2: "for every proposal i whose change is (Apply, Failed) and whose rollback is not
\* (Apply, Complete): every later proposal j > i whose change is in phase Apply has change state
\* in {Nil, Pending, Aborted}".
Order2 ==
    \A i \in DOMAIN proposal :
        /\ proposal[i].change.phase = Apply
        /\ proposal[i].change.state = Failed
        /\ ~(proposal[i].rollback.phase = Apply /\ proposal[i].rollback.state = Complete)
        => \A j \in DOMAIN proposal :
              j > i /\ proposal[j].change.phase = Apply =>
                  proposal[j].change.state \in {Nil, Pending, Aborted}

Order ==
    /\ Order1
    /\ Order2

\* Consistency 1: "for every proposal i, if committed.index < i or committed.revision < i, no
\* committed value carries index i".
Consistency1 ==
    \A i \in DOMAIN proposal :
        configuration.committed.index < i \/ configuration.committed.revision < i =>
            ~\E p \in DOMAIN configuration.committed.values :
                configuration.committed.values[p].index = i

\* Consistency 2: "for every proposal i, if applied.index < i or applied.revision < i, neither
\* an applied value nor a target value carries index i".
Consistency2 ==
    \A i \in DOMAIN proposal :
        configuration.applied.index < i \/ configuration.applied.revision < i =>
            /\ ~\E p \in DOMAIN configuration.applied.values :
                  configuration.applied.values[p].index = i
            /\ ~\E p \in DOMAIN target.values : target.values[p].index = i

\* Consistency 3: "if the target is running, applied.target = target.id and configuration.state =
\* Complete, then for every proposal i with applied.index >= i and applied.revision >= i and
\* every path p of its change: if no later proposal j > i also has applied.index >= j and
\* applied.revision >= j, the target holds p with the change's value and index".
Consistency3 ==
    /\ target.running
    /\ configuration.applied.target = target.id
    /\ configuration.state = Complete
    => \A i \in DOMAIN proposal :
          configuration.applied.index >= i /\ configuration.applied.revision >= i =>
              \A p \in DOMAIN proposal[i].change.values :
                  (~\E j \in DOMAIN proposal :
                      j > i /\ configuration.applied.index >= j /\ configuration.applied.revision >= j)
                  =>
                  /\ p \in DOMAIN target.values
                  /\ target.values[p].value = proposal[i].change.values[p].value
                  /\ target.values[p].index = proposal[i].change.values[p].index

Consistency ==
    /\ Consistency1
    /\ Consistency2
    /\ Consistency3

=============================================================================

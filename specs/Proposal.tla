------------------------------- MODULE Proposal -------------------------------
(***************************************************************************)
(* The Proposal reconciler of the uONOS Config controller.                 *)
(*                                                                         *)
(* The seed seeds/003_5371042e9247daeb.txt (an OCR copy of the typeset     *)
(* module Proposal) transcribed into ASCII TLA+. Nothing is fixed: every   *)
(* OCR correction is marked "OCR:", every defect of the seed that          *)
(* MODELING.md lists is marked "SEED DEFECT:" and kept as written, and     *)
(* other oddities kept as written are marked "NOTE:".                      *)
(*                                                                         *)
(* This module is not a closed system: its variables configuration,        *)
(* mastership, conn and target belong to other modules, and proposals are  *)
(* created by the Transaction reconciler. ProposalEnvironment.tla closes   *)
(* it (onos-config-environment.md) with INSTANCE Proposal; model-check     *)
(* that module. The Z3 encoding of the closed system is                    *)
(* encodings/onos_config/ (`smtspec list` prints its bounds and            *)
(* narrowings).                                                            *)
(***************************************************************************)

\* OCR (throughout): \triangleq, \stackrel{\triangle}{=}, \stackrel{\Delta}{=} -> == (MODELING.md)
\* OCR (throughout): \mapsto -> |->, \langle ... \rangle -> << ... >>, \leftarrow -> <- (MODELING.md; LaTeX rendering of the ASCII operators)
\* OCR (throughout): \land, \lor, \neq, \Rightarrow, \forall -> /\, \/, #, =>, \A (LaTeX rendering of the ASCII operators)
\* OCR (throughout): "\text{DOMAIN } proposal", "DOMAIN \ proposal", "EXCEPT \ !" -> single spaces (LaTeX spacing)
\* OCR (throughout): the seed's comment lines lost their leading \* -> written as \* comments
\* OCR: the scan's "- Module Proposal -" -> the header line below (reason: typeset module header)

\* OCR: "Instance Naturals" -> INSTANCE Naturals (reason: keyword case, like the next lines)
INSTANCE Naturals

INSTANCE FiniteSets

\* OCR: "{\tt INSTANCE}\ Sequences" -> INSTANCE Sequences (reason: LaTeX typewriter markup)
INSTANCE Sequences

INSTANCE TLC

\* An empty constant
\* OCR: "Constant Nil" -> CONSTANT Nil (MODELING.md)
CONSTANT Nil

\* Event constants
CONSTANTS
   Change,
   Rollback

\* Phase constants
CONSTANTS
   Commit,
   Apply

\* OCR: "\{Nil, Commit, Apply" (no closing brace) -> {Nil, Commit, Apply} (reason: the scan lost the "}")
Phase ==
   {Nil,
    Commit,
    Apply}

\* Status constants
\* OCR: "In Progress,\\" -> InProgress, (MODELING.md)
CONSTANTS
   Pending,
   InProgress,
   Complete,
   Failed

\* SEED DEFECT: Status has no Aborted, which the Transaction reconciler writes into
\* proposal[i].change.state and proposal[i].rollback.state (onos-config-environment.md), so
\* TypeOK fails exactly when a proposal can reach Aborted (MODELING.md). Kept as written.
\* OCR: "In Progress,\\" -> InProgress, (MODELING.md)
\* OCR: "\{Nil, ... Failed" (no closing brace) -> {Nil, ..., Failed} (reason: the scan lost the "}")
Status ==
   {Nil,
    Pending,
    InProgress,
    Complete,
    Failed}

\* The set of all nodes
\* OCR: "Constant Node" -> CONSTANT Node (MODELING.md)
CONSTANT Node

\* Variables defined by other modules.
VARIABLES
   configuration,
   mastership,
   conn,
   target

\* A record of per-target proposals
VARIABLE proposal

\* A sequence of configuration changes used for model checking.
\* OCR: "Variable history" -> VARIABLE history (MODELING.md)
VARIABLE history

\* SEED DEFECT: proposal[i].change.state \in Status and proposal[i].rollback.state \in Status
\* exclude Aborted, which the Transaction reconciler writes (MODELING.md). Kept as written.
TypeOK ==
   \A i \in DOMAIN proposal :
      /\ proposal[i].change.phase \in Phase
      /\ proposal[i].change.state \in Status
      /\ \A p \in DOMAIN proposal[i].change.values :
            /\ proposal[i].change.values[p].index \in Nat
            /\ proposal[i].change.values[p].value # Nil =>
                  proposal[i].change.values[p].value \in STRING
      /\ proposal[i].rollback.phase \in Phase
      /\ proposal[i].rollback.state \in Status
      /\ proposal[i].rollback.revision \in Nat
      /\ \A p \in DOMAIN proposal[i].rollback.values :
            /\ proposal[i].rollback.values[p].index \in Nat
            /\ proposal[i].rollback.values[p].value # Nil =>
                  proposal[i].rollback.values[p].value \in STRING

\* OCR: "[ \mapsto [i ...]], proposals configuration \mapsto ..." -> the record below (reason: the scan
\* split the column layout, putting the first field's name after its value, and lost the closing "]")
LOCAL CurrState == [
   proposals     |-> [i \in DOMAIN proposal |-> proposal[i] @@ [index |-> i]],
   configuration |-> configuration,
   mastership    |-> mastership,
   conn          |-> conn,
   target        |-> target]

\* OCR: "\{i \in DOMAIN proposal' : \} i \in DOMAIN proposal => ..." -> the "}" closes after the
\* predicate (reason: the scan moved the brace)
\* OCR: "Then ... else" in the conn line -> THEN ... ELSE (reason: keyword case, like the other lines)
LOCAL SuccState ==
   LET
      proposals == {i \in DOMAIN proposal' :
                       i \in DOMAIN proposal => proposal'[i] # proposal[i]}
   IN
      [proposals |-> [i \in proposals |-> proposal'[i] @@ [index |-> i]]] @@
      (IF configuration' # configuration THEN [configuration |-> configuration'] ELSE <<>>) @@
      (IF mastership' # mastership THEN [mastership |-> mastership'] ELSE <<>>) @@
      (IF conn' # conn THEN [conn |-> conn'] ELSE <<>>) @@
      (IF target' # target THEN [target |-> target'] ELSE <<>>)

\* OCR: "INSTANCE \ Test \ WITH \leftarrow "Proposal.log"" (the parameter's name lost) ->
\* File <- "Proposal.log" (reason: a WITH substitution names a parameter; File, the log file,
\* is the parameter of onos-config's Test module; see Test.tla beside this file)
Test == INSTANCE Test WITH
   File <- "Proposal.log"

\* NOTE: as written, no element i of a non-empty s has i > i, so CHOOSE has no candidate; Max
\* is not used in this module.
LOCAL Max(s) == CHOOSE i \in s : \A j \in s : i > j

CommitChange(n, i) ==
   /\ proposal[i].change.phase = Commit
   /\ proposal[i].change.state = InProgress
      \* If the committed index does not match the proposal index, commit the change.
   /\ \/ /\ configuration.committed.index = i-1
            \* If the change is valid, update the committed index, revision, and values.
            \* OCR: "[configuration EXCEPT !.committed.index]" -> !.committed.index = i, (MODELING.md)
            \* OCR: "configuration.committed.va" (cut at the page edge, no "]") -> configuration.committed.values] (reason: the scan cut the line)
         /\ \/ /\ configuration' = [configuration EXCEPT !.committed.index    = i,
                                                         !.committed.revision = i,
                                                         !.committed.values   = proposal[i].change.values @@
                                                                                   configuration.committed.values]
               /\ history' = Append(history, [type |-> Change, phase |-> Commit, index |-> i])
            \* If the change is invalid, update only the committed index.
            \/ /\ configuration' = [configuration EXCEPT !.committed.index = i]
               /\ UNCHANGED <<history>>
         /\ UNCHANGED <<proposal>>
      \* If both the committed index and committed revision were updated, the proposal was successful.
      \/ /\ configuration.committed.index = i
         /\ configuration.committed.revision = i
         /\ proposal' = [proposal EXCEPT ![i].change.state = Complete]
         /\ UNCHANGED <<configuration, history>>
      \* If the committed index was updated but the revision was not, the proposal failed validation.
      \/ /\ configuration.committed.index = i
         /\ configuration.committed.revision # i
         /\ proposal' = [proposal EXCEPT ![i].change.state = Failed]
         /\ UNCHANGED <<configuration, history>>
   /\ UNCHANGED <<target>>

ApplyChange(n, i) ==
   /\ proposal[i].change.phase = Apply
   /\ proposal[i].change.state = InProgress
      \* If the applied index does not match the proposal index, apply the change.
   /\ \/ /\ configuration.applied.index = i-1
         /\ configuration.state = Complete
         /\ configuration.term = mastership.term
         /\ conn[n].id = mastership.conn
         /\ conn[n].connected
         /\ target.running
            \* If the change can be applied, update the index, revision, and values.
            \* OCR: "[configuration EXCEPT !.applied.index]" -> !.applied.index = i, (MODELING.md)
            \* OCR: "configuration.applied.values" (closing "]" lost) -> configuration.applied.values] (reason: the scan lost the "]")
         /\ \/ /\ target' = [target EXCEPT !.values = proposal[i].change.values @@ target.values]
               /\ configuration' = [configuration EXCEPT !.applied.index    = i,
                                                         !.applied.revision = i,
                                                         !.applied.values   = proposal[i].change.values @@
                                                                                 configuration.applied.values]
               /\ history' = Append(history, [type |-> Change, phase |-> Apply, index |-> i])
            \* If the change is invalid, update only the applied index.
            \/ /\ configuration' = [configuration EXCEPT !.applied.index = i]
               /\ UNCHANGED <<target, history>>
         /\ UNCHANGED <<proposal>>
      \* If the applied index and revision both match the proposal index, the change was successful.
      \/ /\ configuration.applied.index = i
         /\ configuration.applied.revision = i
         /\ proposal' = [proposal EXCEPT ![i].change.state = Complete]
         /\ UNCHANGED <<configuration, target, history>>
      \* If the applied index matches the proposal index but the revision does not, the proposal failed.
      \/ /\ configuration.applied.index = i
         /\ configuration.applied.revision # i
         /\ proposal' = [proposal EXCEPT ![i].change.state = Failed]
         /\ UNCHANGED <<configuration, target, history>>

CommitRollback(n, i) ==
   /\ proposal[i].rollback.phase = Commit
   /\ proposal[i].rollback.state = InProgress
      \* If the committed revision matches the proposal revision, roll back to the previous revision.
      \* OCR: "configuration.committed.values" (closing "]" lost) -> configuration.committed.values] (reason: the scan lost the "]")
   /\ \/ /\ configuration.committed.revision = i
         /\ configuration' = [configuration EXCEPT !.committed.revision = proposal[i].rollback.revision,
                                                   !.committed.values   = proposal[i].rollback.values @@
                                                                             configuration.committed.values]
         /\ history' = Append(history, [type |-> Rollback, phase |-> Commit, index |-> i])
         /\ UNCHANGED <<proposal>>
      \* If the committed index matches the rollback index, complete the rollback.
      \/ /\ configuration.committed.revision = proposal[i].rollback.revision
         /\ proposal' = [proposal EXCEPT ![i].rollback.state = Complete]
         /\ UNCHANGED <<configuration, history>>
   /\ UNCHANGED <<target>>

ApplyRollback(n, i) ==
   /\ proposal[i].rollback.phase = Apply
   /\ proposal[i].rollback.state = InProgress
      \* If the applied revision matches the proposal revision, roll back to the previous revision.
   /\ \/ /\ configuration.applied.revision = i
         /\ configuration.state = Complete
         /\ configuration.term = mastership.term
         /\ conn[n].id = mastership.conn
         /\ conn[n].connected
         \* OCR: "\land \ target.running" -> /\ target.running (LaTeX spacing)
         /\ target.running
         \* OCR: "[target \ \texttt{Except} \ !.values" -> [target EXCEPT !.values (reason: LaTeX typewriter markup, keyword case)
         /\ target' = [target EXCEPT !.values = proposal[i].rollback.values @@ target.values]
         /\ configuration' = [configuration EXCEPT !.applied.revision = proposal[i].rollback.revision,
                                                   !.applied.values   = proposal[i].rollback.values @@
                                                                           configuration.applied.values]
         /\ history' = Append(history, [type |-> Rollback, phase |-> Apply, index |-> i])
         /\ UNCHANGED <<proposal>>
      \* If the committed index matches the rollback index, complete the rollback.
      \* NOTE: as written, this compares the committed revision (not the applied one);
      \* the encoding keeps it (encodings/onos_config/interpreter.py).
      \/ /\ configuration.committed.revision = proposal[i].rollback.revision
         /\ proposal' = [proposal EXCEPT ![i].rollback.state = Complete]
         /\ UNCHANGED <<configuration, target, history>>

\* Reconcile a proposal
ReconcileProposal(n, i) ==
   /\ i \in DOMAIN proposal
   \* OCR: "\ master ship. master = n" -> mastership.master = n (reason: LaTeX spacing split the name)
   /\ mastership.master = n
   /\ \/ CommitChange(n, i)
      \/ ApplyChange(n, i)
      \/ CommitRollback(n, i)
      \/ ApplyRollback(n, i)
   /\ UNCHANGED <<mastership, conn>>

\* OCR: the scan ends without the module's end line -> ==== (reason: a module needs one)
=============================================================================

------------------------------ MODULE OnosConfigLemmas ------------------------------
(***************************************************************************)
(* ASCII transcription of the invariants of the uONOS Config model (TLC:   *)
(* TypeOK, Order, Consistency) and of the definitions they use, from       *)
(* seeds/003_5371042e9247daeb.txt (the Proposal module: its TypeOK, here   *)
(* ProposalTypeOK) and onos-config-environment.md (the other modules,      *)
(* "Invariants checked by the original model"; partly stated in English:  *)
(* each such definition cites the sentence it reads). `smtspec             *)
(* check-lemmas --spec onos-config` translates every definition below that *)
(* names an invariant and proves it equivalent to the hand encoding in     *)
(* invariants.py over all well-typed states of a scope.                    *)
(*                                                                         *)
(* OCR corrections (MODELING.md), applied where marked "OCR:": \triangleq  *)
(* is ==, \neq is #, \land and \lor are /\ and \/, \Rightarrow is =>,      *)
(* \forall is \A, "In Progress" is the single constant InProgress,         *)
(* Constant/Variable are CONSTANT/VARIABLE.                                *)
(*                                                                         *)
(* The environment: "Nil is the string "<nil>". Change, Rollback, Commit,  *)
(* Apply, Pending, InProgress, Complete, Aborted, Failed are strings of    *)
(* the same spelling", and Node, Path, Value are sets of strings; the      *)
(* name table (tla_names.py) gives the constants those values.             *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences

\* OCR: the seed's "Constant Nil" is CONSTANT Nil.
CONSTANT Nil

CONSTANTS Change, Rollback

CONSTANTS Commit, Apply

\* OCR: "In Progress" is the single constant InProgress.
CONSTANTS Pending, InProgress, Complete, Failed

\* Aborted is declared by the Transaction module (environment, "Constants and values").
CONSTANT Aborted

\* OCR: the seed's "Constant Node" is CONSTANT Node; Path and Value are the environment's.
CONSTANTS Node, Path, Value

\* The seed's variables (OCR: "Variable history" is VARIABLE history) and the Transaction
\* module's transaction.
VARIABLES configuration, mastership, conn, target, proposal, history, transaction

\* The seed's Phase and Status. OCR: \triangleq is ==, "In Progress" is InProgress, and the
\* closing braces are lost in the OCR.
Phase == {Nil, Commit, Apply}

Status == {Nil, Pending, InProgress, Complete, Failed}

\* The environment: "the Transaction module uses {Pending, InProgress, Complete, Aborted,
\* Failed}"; "the Configuration module's status is {Pending, InProgress, Complete}". Both
\* modules call their set Status; here they are renamed apart from the Proposal module's.
TransactionStatus == {Pending, InProgress, Complete, Aborted, Failed}

ConfigurationStatus == {Pending, InProgress, Complete}

(***************************************************************************)
(* TypeOK: "the conjunction of the four modules' type invariants".         *)
(***************************************************************************)

\* The environment: "Transaction (type in {Change, Rollback}, index a natural,
\* init/commit/apply in the Transaction status set, values strings)". transaction is a
\* sequence, and values a partial function Path -> Value ("State").
TransactionTypeOK ==
    \A i \in DOMAIN transaction :
        /\ transaction[i].type \in {Change, Rollback}
        /\ transaction[i].index \in Nat
        /\ transaction[i].init \in TransactionStatus
        /\ transaction[i].commit \in TransactionStatus
        /\ transaction[i].apply \in TransactionStatus
        /\ \A p \in DOMAIN transaction[i].values : transaction[i].values[p] \in STRING

\* The seed's TypeOK (named ProposalTypeOK here, as in invariants.py), as written. OCR:
\* \triangleq is ==, \forall is \A, \land is /\, \neq is #, \Rightarrow is =>; the LaTeX
\* spacing in "\text{DOMAIN } proposal" and "DOMAIN \ proposal[i].change.values" is dropped.
ProposalTypeOK ==
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

\* The environment: "Configuration (state in its status set, every index, revision, term
\* and target a natural)". "Every index" is read as every field named index: the committed
\* and applied indexes and the index of every entry of their value maps. The sentence says
\* nothing of the values themselves, so they are not constrained here.
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

\* The environment: "Mastership (term, conn naturals; master in Node unless Nil)".
MastershipTypeOK ==
    /\ mastership.term \in Nat
    /\ mastership.conn \in Nat
    /\ mastership.master # Nil => mastership.master \in Node

TypeOK ==
    /\ TransactionTypeOK
    /\ ProposalTypeOK
    /\ ConfigurationTypeOK
    /\ MastershipTypeOK

(***************************************************************************)
(* Order: "two conjuncts".                                                  *)
(***************************************************************************)

\* The environment, Order 1: "every history entry h = history[i] is ordered: if h is a
\* Change at phase p, no earlier entry is a Change at phase p with index >= h.index; if h
\* is a Rollback at phase p, there is no earlier entry j that is a Change at phase p with
\* index > h.index unless some entry strictly between j and i is a Rollback at phase p with
\* index = history[j].index". "No j ... unless B(j)" is read as ~\E j : ... /\ ~B(j).
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

\* The environment, Order 2: "for every proposal i whose change is (Apply, Failed) and whose
\* rollback is not (Apply, Complete): every later proposal j > i whose change is in phase
\* Apply has change state in {Nil, Pending, Aborted}".
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

(***************************************************************************)
(* Consistency: "three conjuncts". "A value carries index i" is read as an *)
(* entry of the value map whose index field is i.                          *)
(***************************************************************************)

\* The environment, Consistency 1: "for every proposal i, if committed.index < i or
\* committed.revision < i, no committed value carries index i".
Consistency1 ==
    \A i \in DOMAIN proposal :
        configuration.committed.index < i \/ configuration.committed.revision < i =>
            ~\E p \in DOMAIN configuration.committed.values :
                configuration.committed.values[p].index = i

\* The environment, Consistency 2: "for every proposal i, if applied.index < i or
\* applied.revision < i, neither an applied value nor a target value carries index i".
Consistency2 ==
    \A i \in DOMAIN proposal :
        configuration.applied.index < i \/ configuration.applied.revision < i =>
            /\ ~\E p \in DOMAIN configuration.applied.values :
                  configuration.applied.values[p].index = i
            /\ ~\E p \in DOMAIN target.values : target.values[p].index = i

\* The environment, Consistency 3: "if the target is running, applied.target = target.id and
\* configuration.state = Complete, then for every proposal i with applied.index >= i and
\* applied.revision >= i and every path p of its change: if no later proposal j > i also has
\* applied.index >= j and applied.revision >= j, the target holds p with the change's value
\* and index". "The target holds p with v and n": p is in DOMAIN target.values and its entry
\* has value v and index n.
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

=======================================================================================

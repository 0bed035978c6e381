--------------------------------- MODULE Test ---------------------------------
(***************************************************************************)
(* NOT PART OF THE SEED. Proposal.tla (seed 003) defines                   *)
(*     Test == INSTANCE Test WITH File <- "Proposal.log"                   *)
(* and never uses Test. In onos-config, Test is a trace logger for         *)
(* generating test cases (it needs TLC's IOUtils and Json community        *)
(* modules). This stand-in declares only the parameter that the seed       *)
(* substitutes, so that SANY and TLC can load Proposal.tla and             *)
(* ProposalEnvironment.tla from this folder.                               *)
(***************************************************************************)

\* The log file a test-case generator would write.
CONSTANT File

=============================================================================

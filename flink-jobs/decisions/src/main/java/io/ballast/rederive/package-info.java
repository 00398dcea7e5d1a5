/**
 * Re-deriving recorded decisions from archived history: each job's decision class re-run over its archived inputs in
 * event-time order ({@link io.ballast.rederive.DecisionReplay}), one pass for several classes
 * ({@link io.ballast.rederive.AuditPass}), and the audit reports of the outcome. What {@code ballast replay --verify},
 * {@code ballast audit decisions} and the bounded audit job of the job jar all run.
 */
package io.ballast.rederive;

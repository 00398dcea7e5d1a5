/**
 * The autoscaler's decision logic: the Kubernetes HorizontalPodAutoscaler v2 algorithm, exactly,
 * plus KEDA's consumer-lag and scale-to-zero semantics and Ballast's cooldowns. Plain Java: no Flink,
 * no Kafka. {@link io.ballast.autoscale.Autoscaler} is the entry point; the Flink job and the
 * {@code ballast autoscale} commands both drive it.
 */
package io.ballast.autoscale;

package io.ballast.bench.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.ballast.events.Envelope;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSample;
import io.ballast.events.MetricSourceType;
import io.ballast.events.MetricTarget;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingBehavior;
import io.ballast.events.ScalingPolicy;
import io.ballast.events.ScalingRules;
import io.ballast.events.TargetType;

/**
 * The benchmarks' workload: {@code services} × {@code instances} reporting every {@link #PERIOD_SECONDS} s of
 * event time from {@link #T0}; each service's cpu flips between 0.35 and 0.6 cores (of 0.5 requested) every
 * minute, so an autoscaler keeps deciding.
 */
public record Fleet(int services, int instances) {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final int PERIOD_SECONDS = 5;

    /** The number of reporting rounds that make at least {@code samples} cpu samples. */
    public int roundsFor(long samples) {
        return (int) Math.ceil(samples / (double) (services * instances));
    }

    public String service(int s) {
        return "svc-" + s;
    }

    /** One cpu gauge per instance per round, in event-time order. */
    public List<MetricSample> cpuSamples(int rounds) {
        List<MetricSample> out = new ArrayList<>(rounds * services * instances);
        for (int r = 0; r < rounds; r++) {
            Instant at = T0.plusSeconds((long) r * PERIOD_SECONDS);
            double cpu = (r / 12) % 2 == 0 ? 0.35 : 0.6;
            for (int s = 0; s < services; s++) {
                for (int i = 0; i < instances; i++) {
                    out.add(sample(service(s), service(s) + "-" + i, "cpu", MetricKind.GAUGE, cpu + i * 0.001, "cores", at));
                }
            }
        }
        return out;
    }

    /** A cpu gauge and a request counter per instance per round. */
    public List<MetricSample> cpuAndRequestSamples(int rounds) {
        List<MetricSample> out = new ArrayList<>(2 * rounds * services * instances);
        for (int r = 0; r < rounds; r++) {
            Instant at = T0.plusSeconds((long) r * PERIOD_SECONDS);
            for (int s = 0; s < services; s++) {
                for (int i = 0; i < instances; i++) {
                    String instance = service(s) + "-" + i;
                    out.add(sample(service(s), instance, "cpu", MetricKind.GAUGE, 0.3 + (r % 7) * 0.05, "cores", at));
                    out.add(sample(service(s), instance, "requests_total", MetricKind.COUNTER, r * 50.0 + i, "requests", at));
                }
            }
        }
        return out;
    }

    /** An HPA-like cpu policy at 70 % without stabilization, one per service. */
    public List<ScalingPolicy> policies() {
        List<ScalingPolicy> out = new ArrayList<>();
        for (int s = 0; s < services; s++) {
            MetricTarget cpu = MetricTarget.newBuilder().setName("cpu").setSource(MetricSourceType.RESOURCE)
                    .setTargetType(TargetType.UTILIZATION).setTarget(70).build();
            ScalingRules fast = ScalingRules.newBuilder().setStabilizationWindowSeconds(0).build();
            out.add(ScalingPolicy.newBuilder().setEnvelope(envelope(service(s), "ScalingPolicy", T0)).setService(service(s)).setVersion(1)
                    .setMinReplicas(1).setMaxReplicas(100).setMetrics(List.of(cpu))
                    .setBehavior(ScalingBehavior.newBuilder().setScaleUp(fast).setScaleDown(fast).build()).build());
        }
        return out;
    }

    /** Every service at {@code instances} ready replicas. */
    public List<ReplicaStatus> statuses() {
        List<ReplicaStatus> out = new ArrayList<>();
        for (int s = 0; s < services; s++) {
            out.add(ReplicaStatus.newBuilder().setEnvelope(envelope(service(s), "ReplicaStatus", T0)).setService(service(s))
                    .setCurrentReplicas(instances).setDesiredReplicas(instances).setReadyReplicas(instances).build());
        }
        return out;
    }

    public static MetricSample sample(String service, String instance, String metric, MetricKind kind, double value, String unit,
                                      Instant at) {
        return MetricSample.newBuilder().setEnvelope(envelope(service, "MetricSample", at)).setService(service).setInstance(instance)
                .setMetric(metric).setKind(kind).setValue(value).setUnit(unit).setResourceRequest("cpu".equals(metric) ? 0.5 : null)
                .build();
    }

    public static Envelope envelope(String subject, String type, Instant at) {
        return Envelope.newBuilder().setEventId(UUID.randomUUID()).setType(type).setSource("bench").setSubject(subject)
                .setOccurredAt(at).setRecordedAt(at).build();
    }
}

package io.ballast.bench.autoscale;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.ballast.events.Envelope;
import io.ballast.events.MetricSample;
import io.ballast.events.MetricSourceType;
import io.ballast.events.MetricTarget;
import io.ballast.events.ScalingBehavior;
import io.ballast.events.ScalingPolicy;
import io.ballast.events.ScalingRules;
import io.ballast.events.TargetType;

/** The autoscaler benchmarks' events: a cpu-utilisation policy without stabilisation (every evaluation may decide) and cpu samples. */
public final class ScalingEvents {
    private ScalingEvents() {
    }

    /** Target 70 % cpu utilisation, 1..100 replicas, no stabilisation window either way. */
    public static ScalingPolicy policy(String service, Instant at) {
        MetricTarget cpu = MetricTarget.newBuilder().setName("cpu").setSource(MetricSourceType.RESOURCE)
                .setTargetType(TargetType.UTILIZATION).setTarget(70).build();
        ScalingRules fast = ScalingRules.newBuilder().setStabilizationWindowSeconds(0).build();
        return ScalingPolicy.newBuilder().setEnvelope(envelope(service, "ScalingPolicy", at)).setService(service).setVersion(1)
                .setMinReplicas(1).setMaxReplicas(100).setMetrics(List.of(cpu))
                .setBehavior(ScalingBehavior.newBuilder().setScaleUp(fast).setScaleDown(fast).build()).build();
    }

    /** A cpu reading in cores of an instance requesting 0.5 cores. */
    public static MetricSample sample(String service, String instance, Instant at, double cpu) {
        return MetricSample.newBuilder().setEnvelope(envelope(service, "MetricSample", at)).setService(service).setInstance(instance)
                .setMetric("cpu").setValue(cpu).setUnit("cores").setResourceRequest(0.5).build();
    }

    public static Envelope envelope(String service, String type, Instant at) {
        return Envelope.newBuilder().setEventId(UUID.randomUUID()).setType(type).setSource("bench").setSubject(service)
                .setOccurredAt(at).setRecordedAt(at).build();
    }
}

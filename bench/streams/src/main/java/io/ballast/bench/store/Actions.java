package io.ballast.bench.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.ballast.bench.report.Fleet;
import io.ballast.events.Action;
import io.ballast.events.ActionOutcome;
import io.ballast.events.Envelope;

/** The store benchmarks' events: deploys, scales and restarts of 500 services by 20 actors, 100 ms apart. */
final class Actions {
    private Actions() {
    }

    static Action action(long i) {
        Instant at = Fleet.T0.plusMillis(i * 100);
        String target = "svc-" + (i % 500);
        return Action.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(id("bench/" + i)).setType("Action").setSource("bench").setSubject(target)
                        .setOccurredAt(at).setRecordedAt(at).setCorrelationId("corr-" + (i / 10)).build())
                .setActor("deployer-" + (i % 20)).setAction(i % 3 == 0 ? "deploy" : i % 3 == 1 ? "scale" : "restart").setTarget(target)
                .setOutcome(ActionOutcome.SUCCEEDED).setAttributes(Map.of("version", "1." + (i % 50), "replicas", Long.toString(i % 12)))
                .build();
    }

    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}

package io.ballast.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.ballast.events.MetricSourceType;
import io.ballast.events.TargetType;
import org.junit.jupiter.api.Test;

/**
 * The closed loop on a load step: 700 requests/min on 10 replicas of 100 each is 70 % CPU, the target; at minute 10
 * the load doubles, HPA proposes 20 at once (growth capped at max(2 x 10, 4)) and the new ten are ready a minute
 * later, so exactly four 15 s slices are short of capacity.
 */
class ClosedLoopTest {
    private static final Instant T0 = Instant.parse("1998-06-10T00:00:00Z");

    @Test
    void aLoadStepIsShortOfCapacityUntilTheNewReplicasAreReady() {
        List<ClosedLoop.Minute> load = new ArrayList<>();
        for (int m = 0; m < 20; m++) {
            load.add(new ClosedLoop.Minute(T0.plusSeconds(60L * m), m < 10 ? 700 : 1400));
        }
        Policy.MetricTarget cpu = new Policy.MetricTarget("cpu", MetricSourceType.RESOURCE, TargetType.UTILIZATION, 70, null, null,
                null, false);
        Policy policy = new Policy("step", 1, 2, 200, List.of(cpu), null, 0.1, 0, 0, false);
        ClosedLoop.Result r = new ClosedLoop(AutoscalerSettings.DEFAULTS, new ClosedLoop.Model(100, Duration.ofSeconds(60))).run(policy, load);
        assertEquals(1.0, r.overloadMinutes(), 1e-9, "10:00, 10:15, 10:30, 10:45");
        assertEquals(List.of(new ClosedLoop.Surge(T0.plusSeconds(600), 1.0)), r.surges());
        assertEquals(400.0 / 21_000, r.unservedShare(), 1e-12, "400 requests/min short for a minute of 21,000 requests");
        assertEquals(10 * 10 + 10 * 0.25 + 20 * 0.25 * 39, r.replicaMinutes(), 1e-9);
        assertEquals(1, r.changes());
        assertEquals(1, r.maxChangesPerDay());
        assertEquals(80, r.evaluations());
        assertEquals(20, r.slices().get(r.slices().size() - 1).replicas());
        assertEquals(2000.0, r.slices().get(44).readyCapacity(), 1e-9, "all twenty ready at 11:00");
    }

    @Test
    void thinningKeepsTheWorstOfEachRun() {
        List<ClosedLoop.Slice> slices = List.of(new ClosedLoop.Slice(T0, 5, 10, 2, 2), new ClosedLoop.Slice(T0.plusSeconds(15), 9, 8, 3, 2),
                new ClosedLoop.Slice(T0.plusSeconds(30), 1, 10, 2, 2));
        assertEquals(List.of(new ClosedLoop.Slice(T0, 9, 8, 3, 2), new ClosedLoop.Slice(T0.plusSeconds(30), 1, 10, 2, 2)),
                ClosedLoop.thin(slices, 2));
    }
}

package io.ballast.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FigureTest {
    @Test
    void theRatioIsTheMedianOfTheRoundForRoundRatios() {
        // rounds 1 and 3 ran on a slow machine: both halves slowed, the per-round ratios stay near 0.5
        Figure f = new Figure("job", "records/s", Spread.of(50, 100, 20), new Reference("ref", Spread.of(100, 160, 50), "w"),
                Goal.ratioAtLeast(0.5), "w", Map.of());
        // ratios 0.5, 0.625, 0.4 -> median 0.5 (the ratio of the medians would be 50 / 100 = 0.5 too, but the spread differs)
        assertEquals(0.5, f.ratio(), 1e-12);
        assertTrue(f.met());
        Figure slower = new Figure("job", "records/s", Spread.of(40, 100, 20), new Reference("ref", Spread.of(100, 160, 50), "w"),
                Goal.ratioAtLeast(0.5), "w", Map.of());
        assertEquals(0.4, slower.ratio(), 1e-12);
        assertFalse(slower.met());
    }

    @Test
    void anAbsoluteGoalJudgesTheMedianAndHasNoReference() {
        Figure latency = new Figure("latency", "ms", Spread.of(900, 1400, 1600), null, Goal.valueAtMost(1500), "w", null);
        assertNull(latency.ratio());
        assertTrue(latency.met());
        Map<String, Object> json = latency.toJson();
        assertEquals(1400.0, json.get("value"));
        assertEquals(900.0, json.get("min"));
        assertEquals(1600.0, json.get("max"));
        assertNull(json.get("reference"));
        assertEquals("value <= 1500", json.get("goalIs"));
        assertEquals(true, json.get("met"));
        assertFalse(new Figure("latency", "ms", Spread.of(1501, 1502, 1503), null, Goal.valueAtMost(1500), "w", null).met());
    }

    @Test
    void aRatioGoalWithoutAReferenceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Figure("x", "u", Spread.of(1, 2, 3), null, Goal.ratioAtLeast(0.5), "w", null));
    }

    @Test
    void theJsonHasTheReportsShape() {
        Figure f = new Figure("autoscaler.samplesPerSecond", "samples/s", Spread.of(10_000, 12_000, 11_000),
                new Reference("flink.passThrough.recordsPerSecond", Spread.of(40_000, 44_000, 42_000), "pass"), Goal.ratioAtLeast(0.5),
                "backlog", Map.of());
        Map<String, Object> json = f.toJson();
        assertEquals(List.of("name", "value", "unit", "min", "max", "rounds", "reference", "ratio", "goal", "goalIs", "met", "workload"),
                new ArrayList<>(json.keySet()));
        assertEquals(11_000.0, json.get("value"));
        @SuppressWarnings("unchecked")
        Map<String, Object> ref = (Map<String, Object>) json.get("reference");
        assertEquals("flink.passThrough.recordsPerSecond", ref.get("name"));
        assertEquals(42_000.0, ref.get("value"));
        // per-round ratios 0.25, 0.2727, 0.2619 -> median 0.262
        assertEquals(0.262, json.get("ratio"));
        assertEquals(false, json.get("met"));
    }

    @Test
    void interleavedRunsAlternateFigureAndReference() throws Exception {
        List<String> order = new ArrayList<>();
        Interleaved.Pair pair = Interleaved.run(3, () -> {
            order.add("A");
            return order.size();
        }, () -> {
            order.add("B");
            return order.size();
        });
        assertEquals(List.of("A", "B", "A", "B", "A", "B"), order);
        assertEquals(List.of(1.0, 3.0, 5.0), pair.figure().rounds());
        assertEquals(List.of(2.0, 4.0, 6.0), pair.reference().rounds());
    }

    @Test
    void fewerThanThreeRoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Scale(true, 2));
    }

    @Test
    void medianOfAnEvenNumberIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, Spread.of(4, 1, 3, 2).median(), 1e-12);
        assertEquals(1, Spread.of(4, 1, 3, 2).min(), 1e-12);
        assertEquals(4, Spread.of(4, 1, 3, 2).max(), 1e-12);
    }
}

package io.ballast.signals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import io.ballast.streams.JsonSerde;
import org.junit.jupiter.api.Test;

/** The plain signal classes: quantile accuracy and merging, window lateness, lag, and the window state codec. */
class SignalLogicTest {

    @Test
    void everyQuantileIsWithinOnePercentOfTheValueOfItsRankAndMergingEqualsAddingAll() {
        Random random = new Random(7);
        double[] values = new double[10_000];
        QuantileSketch all = new QuantileSketch();
        QuantileSketch left = new QuantileSketch();
        QuantileSketch right = new QuantileSketch();
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(random.nextGaussian() * 2 + 3);
            all.add(values[i]);
            (i % 2 == 0 ? left : right).add(values[i]);
        }
        left.merge(right);
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        for (double q : new double[] {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1}) {
            double exact = sorted[(int) Math.floor(q * (sorted.length - 1))]; // the lower value of a rank between two
            double estimate = all.quantile(q).getAsDouble();
            assertTrue(Math.abs(estimate - exact) <= QuantileSketch.RELATIVE_ACCURACY * exact + 1e-12, q + ": " + estimate + " vs " + exact);
            assertEquals(estimate, left.quantile(q).getAsDouble(), 0, "merged sketch at " + q);
        }
        assertTrue(new QuantileSketch().quantile(0.5).isEmpty());
    }

    @Test
    void aSampleIsLateOnceStreamTimePassesTheEndOfItsLastWindowPlusGrace() {
        WindowSpec hopping = new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(10));
        assertEquals(90_000, hopping.lastWindowEnd(45_000));
        assertFalse(hopping.tooLate(45_000, 99_999));
        assertTrue(hopping.tooLate(45_000, 100_000));
        assertEquals(60_000, new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ZERO).lastWindowEnd(-1 + 60_000));
    }

    @Test
    void lagCountsFromTheCommittedOffsetOrTheStartOfThePartition() {
        ConsumerLag lag = ConsumerLag.of(Map.of(0, 0L, 1, 100L, 2, 0L), Map.of(0, 10L, 1, 150L, 2, 7L), Map.of(0, 4L, 1, 20L));
        // partition 1 was truncated past the group's offset: the lag counts only what is still there
        assertEquals(new ConsumerLag(6 + 50 + 7, 50, 3), lag);
    }

    @Test
    void theWindowStateCodecRoundTripsExactly() throws Exception {
        ServiceWindow window = new ServiceWindow();
        window.add(new Sample("svc", "a", "latency_ms", false, 12.5, "ms", true, 1000), LatencyRule.DEFAULT);
        window.add(new Sample("svc", "a", "latency_ms", false, 0, "ms", true, 2000), LatencyRule.DEFAULT);
        window.add(new Sample("svc", "b", "requests_total", true, 40, "requests", false, 1500), LatencyRule.DEFAULT);
        window.add(new Sample("svc", "b", "requests_total", true, 10, "requests", true, 2500), LatencyRule.DEFAULT);
        ServiceWindow back = ServiceWindowCodec.read(ServiceWindowCodec.write(window));
        assertEquals(JsonSerde.MAPPER.writeValueAsString(window), JsonSerde.MAPPER.writeValueAsString(back));
        assertEquals(window.metrics().get("requests_total").figures(), back.metrics().get("requests_total").figures());
        assertEquals(window.metrics().get("latency_ms").figures(), back.metrics().get("latency_ms").figures());
    }

    @Test
    void theWindowStateCodecKeepsTheLayoutOfDataOutputStreamAndReadsAnyName() throws Exception {
        ServiceWindow window = new ServiceWindow();
        window.add(new Sample("svc", "pod-ä\u0000€", "cpu", false, 0.5, "", true, 1000), LatencyRule.DEFAULT);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(expected)) {
            out.writeByte(1);
            out.writeInt(1);
            out.writeUTF("svc");
            out.writeUTF("cpu");
            out.writeUTF("");
            out.writeBoolean(false);
            out.writeLong(1);
            out.writeInt(1);
            out.writeUTF("pod-ä\u0000€");
            out.writeLong(1000);
            out.writeDouble(0.5);
            out.writeBoolean(true);
            out.writeDouble(0.5);
            out.writeInt(0);
            out.writeBoolean(false);
        }
        // the state written before the codec moved off the streams reads the same, and is written the same
        assertArrayEquals(expected.toByteArray(), ServiceWindowCodec.write(window));
        ServiceWindow back = ServiceWindowCodec.read(expected.toByteArray());
        assertEquals(JsonSerde.MAPPER.writeValueAsString(window), JsonSerde.MAPPER.writeValueAsString(back));
        assertThrows(java.io.UncheckedIOException.class, () -> ServiceWindowCodec.read(java.util.Arrays.copyOf(expected.toByteArray(), 20)));
    }

    @Test
    void addingASampleToTheWindowsBytesEqualsReadAddWriteByteForByte() {
        Random random = new Random(11);
        String[] instances = {"a", "b", "pod-ä€", "c", "ab", "B", "a0", "pod-1", "pod-10", "pod-2"};
        String[] metrics = {"cpu", "requests_total", "latency_ms", "queue\u0000depth"};
        int patched = 0;
        for (int sequence = 0; sequence < 300; sequence++) {
            byte[] bytes = WindowBytes.empty();
            ServiceWindow window = new ServiceWindow();
            for (int step = 0; step < 60; step++) {
                String metric = metrics[random.nextInt(metrics.length)];
                boolean counter = metric.endsWith("_total");
                long at = 1_000L * random.nextInt(20); // out of order, instants re-sent
                double value = random.nextInt(5) == 0 ? 0 : random.nextDouble() * 100;
                Sample sample = new Sample("svc", instances[random.nextInt(instances.length)], metric, counter, value,
                        metric.startsWith("latency") ? "ms" : "1", random.nextInt(4) != 0, at);
                patched += bytes.length > 5 ? 1 : 0;
                bytes = WindowBytes.add(bytes, sample, LatencyRule.DEFAULT);
                window.add(sample, LatencyRule.DEFAULT);
                assertArrayEquals(ServiceWindowCodec.write(window), bytes, "sequence " + sequence + ", step " + step);
            }
        }
        assertTrue(patched > 10_000, "most steps add to a window that has samples: " + patched);
    }
}

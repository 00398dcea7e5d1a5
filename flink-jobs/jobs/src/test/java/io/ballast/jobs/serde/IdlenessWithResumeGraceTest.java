package io.ballast.jobs.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

/** One split's watermarks on a manual clock: what each periodic emission says. */
class IdlenessWithResumeGraceTest {
    private final ManualClock clock = new ManualClock();
    private final Emissions out = new Emissions();
    private final IdlenessWithResumeGrace<String> split = new IdlenessWithResumeGrace<>(
            new BoundedOutOfOrdernessWatermarks<>(Duration.ofSeconds(5)), Duration.ofSeconds(10), Duration.ofSeconds(2), clock);

    @Test
    void aLiveSplitEmitsItsWatermarkAtOnce() {
        split.onEvent("a", 60_000, out);
        assertEquals("54999", emitAfter(Duration.ofMillis(200)));
        split.onEvent("b", 61_000, out);
        assertEquals("55999", emitAfter(Duration.ofMillis(200)));
    }

    @Test
    void aSplitIdleForTheIdlenessIsMarkedIdleAndHoldsItsWatermarkForTheGraceOnceItReadsAgain() {
        split.onEvent("a", 60_000, out);
        assertEquals("54999", emitAfter(Duration.ZERO));
        assertEquals("54999", emitAfter(Duration.ofSeconds(5))); // inactivity starts counting here
        assertEquals("idle", emitAfter(Duration.ofSeconds(11)));

        split.onEvent("late trace", 140_000, out);
        assertEquals("idle", emitAfter(Duration.ofMillis(200)), "its record went on, its watermark waits");
        assertEquals("idle", emitAfter(Duration.ofMillis(1_700)));
        assertEquals("134999", emitAfter(Duration.ofMillis(100)), "2 s after it read again");
        split.onEvent("next", 141_000, out);
        assertEquals("135999", emitAfter(Duration.ofMillis(200)), "no grace while it keeps reading");
    }

    @Test
    void aSplitThatPausedLongerThanTheGraceKeepsTheWatermarkItHadForTheGraceOnceItReadsAgain() {
        split.onEvent("example", 60_000, out);
        assertEquals("54999", emitAfter(Duration.ZERO));
        assertEquals("54999", emitAfter(Duration.ofSeconds(1))); // the pause starts counting here
        assertEquals("54999", emitAfter(Duration.ofMillis(2_500)), "paused, not idle");

        split.onEvent("trace", 140_000, out);
        assertEquals(List.of(), emissionsAfter(Duration.ofMillis(200)), "its record went on, its old watermark still holds");
        assertEquals(List.of(), emissionsAfter(Duration.ofMillis(1_700)));
        assertEquals(List.of("134999"), emissionsAfter(Duration.ofMillis(100)), "2 s after it read again");
        split.onEvent("next", 141_000, out);
        assertEquals(List.of("135999"), emissionsAfter(Duration.ofMillis(200)), "no grace while it keeps reading");
    }

    @Test
    void aPauseShorterThanTheGraceDoesNotHoldTheWatermark() {
        split.onEvent("a", 60_000, out);
        assertEquals("54999", emitAfter(Duration.ZERO));
        assertEquals("54999", emitAfter(Duration.ofSeconds(1))); // the pause starts counting here
        clock.advanceTime(Duration.ofMillis(1_900));
        split.onEvent("b", 70_000, out);
        assertEquals(List.of("64999"), emissionsAfter(Duration.ofMillis(100)));
    }

    @Test
    void withoutAGraceItIsFlinksIdleness() {
        IdlenessWithResumeGrace<String> plain = new IdlenessWithResumeGrace<>(new BoundedOutOfOrdernessWatermarks<>(Duration.ofSeconds(5)),
                Duration.ofSeconds(10), Duration.ZERO, clock);
        plain.onEvent("a", 60_000, out);
        plain.onPeriodicEmit(out);
        clock.advanceTime(Duration.ofSeconds(11));
        plain.onPeriodicEmit(out);
        clock.advanceTime(Duration.ofSeconds(11));
        plain.onPeriodicEmit(out);
        plain.onEvent("late trace", 140_000, out);
        clock.advanceTime(Duration.ofMillis(200));
        plain.onPeriodicEmit(out);
        assertEquals(List.of("54999", "54999", "idle", "134999"), out.said);
    }

    @Test
    void aGraceOfTheIdlenessOrMoreIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IdlenessWithResumeGrace<String>(
                new BoundedOutOfOrdernessWatermarks<>(Duration.ofSeconds(5)), Duration.ofSeconds(2), Duration.ofSeconds(2), clock));
    }

    private List<String> emissionsAfter(Duration elapsed) {
        int before = out.said.size();
        clock.advanceTime(elapsed);
        split.onPeriodicEmit(out);
        return List.copyOf(out.said.subList(before, out.said.size()));
    }

    private String emitAfter(Duration elapsed) {
        clock.advanceTime(elapsed);
        split.onPeriodicEmit(out);
        return out.said.get(out.said.size() - 1);
    }

    /** Every watermark ("54999") and idle mark ("idle") the split gave, in order. */
    private static final class Emissions implements WatermarkOutput {
        final List<String> said = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            said.add(Long.toString(watermark.getTimestamp()));
        }

        @Override
        public void markIdle() {
            said.add("idle");
        }

        @Override
        public void markActive() {
            said.add("active");
        }
    }
}

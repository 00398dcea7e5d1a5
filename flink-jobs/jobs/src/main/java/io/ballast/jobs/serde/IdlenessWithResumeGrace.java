package io.ballast.jobs.serde;

import java.time.Duration;

import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.eventtime.WatermarksWithIdleness;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Flink's idleness ({@link WatermarksWithIdleness}: a split without records for {@code idleness} stops holding the
 * watermark back), except that a split back from idleness stays out of the watermark for {@code resumeGrace} more
 * before its own watermark counts again.
 * <p>Why: when every source of a job is idle and events arrive on several topics at once (a trace produced in one go,
 * a fleet waking up), the sources read them one after the other. Under plain idleness the first split to read becomes
 * the only active input, its watermark is the operator's, and the events the other sources read a moment later are
 * late. During the grace the resumed split's records flow on as usual; only its watermark waits, so the records that
 * arrived with it on the other topics are read before the watermark moves past them. A split that never went idle
 * (a live stream, a backlog) is not delayed.
 */
public final class IdlenessWithResumeGrace<T> implements WatermarkGenerator<T> {
    private final WatermarkGenerator<T> watermarks;
    private final WatermarksWithIdleness.IdlenessTimer idleness;
    private final RelativeClock clock;
    private final long graceNanos;
    private boolean idle;
    private boolean resuming;
    private long resumedAtNanos;

    public IdlenessWithResumeGrace(WatermarkGenerator<T> watermarks, Duration idleness, Duration resumeGrace, RelativeClock clock) {
        if (resumeGrace.isNegative() || resumeGrace.compareTo(idleness) >= 0) {
            // a grace as long as the idleness would mark a one-off burst idle again before its watermark ever counted
            throw new IllegalArgumentException("the resume grace (" + resumeGrace + ") must be at least 0 and less than the idleness ("
                    + idleness + ")");
        }
        this.watermarks = watermarks;
        this.idleness = new WatermarksWithIdleness.IdlenessTimer(clock, idleness);
        this.clock = clock;
        this.graceNanos = resumeGrace.toNanos();
    }

    /**
     * Bounded out-of-orderness watermarks with this idleness, event time from {@code at}, on the input-activity clock
     * of each split (time a split spends paused or backpressured does not count as idle).
     */
    public static <T> WatermarkStrategy<T> boundedOutOfOrderness(Duration outOfOrderness, Duration idleness, Duration resumeGrace,
                                                                  SerializableTimestampAssigner<T> at) {
        WatermarkStrategy<T> strategy = context -> new IdlenessWithResumeGrace<>(new BoundedOutOfOrdernessWatermarks<>(outOfOrderness),
                idleness, resumeGrace, context.getInputActivityClock());
        return strategy.withTimestampAssigner(at);
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        watermarks.onEvent(event, eventTimestamp, output);
        idleness.activity();
        if (idle) {
            idle = false;
            resuming = true;
            resumedAtNanos = clock.relativeTimeNanos();
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (idleness.checkIfIdle()) {
            idle = true;
            resuming = false;
            output.markIdle();
            return;
        }
        if (resuming && clock.relativeTimeNanos() - resumedAtNanos < graceNanos) {
            output.markIdle();
            return;
        }
        resuming = false;
        watermarks.onPeriodicEmit(output);
    }
}

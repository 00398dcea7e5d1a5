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
 * watermark back), except that a split that reads again after a pause longer than {@code resumeGrace} keeps its
 * watermark where it was for {@code resumeGrace} more: marked idle if it had gone idle, holding the watermark it had
 * if it had only paused.
 * <p>Why: when events arrive on several topics at once after a quiet spell (a trace produced in one go, a fleet waking
 * up), the sources read them one after the other. Under plain idleness the first split to read moves the watermark
 * (it is the only active input, or the others are idle) and the events the other sources read a moment later are
 * late. That holds for a split that had only paused, not gone idle, too: a metrics partition that read something 4 s
 * before the trace is still active, and its watermark alone would run the trace's evaluations before the policy's
 * source has read the policy. During the grace the resumed split's records flow on as usual; only its watermark
 * waits, so the records that arrived with it on the other topics are read before the watermark moves past them. A
 * split that reads without such pauses (a live stream, a backlog; time paused by backpressure does not count) is not
 * delayed.
 */
public final class IdlenessWithResumeGrace<T> implements WatermarkGenerator<T> {
    private final WatermarkGenerator<T> watermarks;
    private final WatermarksWithIdleness.IdlenessTimer idleness;
    private final RelativeClock clock;
    private final long graceNanos;
    private boolean idle;
    private boolean readSinceLastEmit;
    // when a periodic emission first found no record read since the one before; the clock is read once per pause, not per record
    private long quietSinceNanos = NOT_QUIET;
    private Resumed resumed = Resumed.NO;
    private long resumedAtNanos;

    private static final long NOT_QUIET = Long.MIN_VALUE;

    /** What the split came back from, if it is within its grace. */
    private enum Resumed { NO, FROM_IDLENESS, FROM_PAUSE }

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
        readSinceLastEmit = true;
        if (quietSinceNanos != NOT_QUIET) {
            long now = clock.relativeTimeNanos();
            if (idle || now - quietSinceNanos >= graceNanos) {
                resumed = idle ? Resumed.FROM_IDLENESS : Resumed.FROM_PAUSE;
                resumedAtNanos = now;
            }
            idle = false;
            quietSinceNanos = NOT_QUIET;
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (!readSinceLastEmit && quietSinceNanos == NOT_QUIET) {
            quietSinceNanos = clock.relativeTimeNanos();
        }
        readSinceLastEmit = false;
        if (idleness.checkIfIdle()) {
            idle = true;
            resumed = Resumed.NO;
            output.markIdle();
            return;
        }
        if (resumed != Resumed.NO && clock.relativeTimeNanos() - resumedAtNanos < graceNanos) {
            if (resumed == Resumed.FROM_IDLENESS) {
                output.markIdle();
            }
            // back from a pause: no new watermark, the one it gave before the pause still holds the others back
            return;
        }
        resumed = Resumed.NO;
        watermarks.onPeriodicEmit(output);
    }
}

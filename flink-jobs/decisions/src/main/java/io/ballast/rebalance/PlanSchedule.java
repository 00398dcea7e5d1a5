package io.ballast.rebalance;

/**
 * When a cluster is planned. Every input moves the planning time to its own time + the quiet period (never earlier),
 * but never past (first input not yet planned + max delay), so a cluster that reports load every few seconds is still
 * planned; all in event time. An input at or after the planning time leaves it: it is planned after. An input whose time is not after the last planning is late: that plan was made without it (a source
 * that was idle let the watermark pass), so it asks for a plan again without waiting for event time to move on.
 * Times are epoch milliseconds, null when unset.
 *
 * @param due          when the next plan is due
 * @param pendingSince the time of the first input not yet planned
 * @param latestInput  the latest input time seen
 * @param lastPlanned  when the cluster was last planned
 */
public record PlanSchedule(Long due, Long pendingSince, Long latestInput, Long lastPlanned) {
    public static final PlanSchedule NONE = new PlanSchedule(null, null, null, null);

    /** The schedule after an input, and whether the input is late (a plan it should have been in was already made). */
    public record AfterInput(PlanSchedule schedule, boolean late) {
    }

    /** After an input at {@code at}. */
    public AfterInput input(long at, long quietMillis, long maxDelayMillis) {
        long latest = latestInput == null ? at : Math.max(at, latestInput);
        boolean late = lastPlanned != null && at <= lastPlanned;
        if (due != null && at >= due) {
            // the cluster was quiet until the planned time: that plan stands, and the cluster is planned again after it
            return new AfterInput(new PlanSchedule(due, pendingSince, latest, lastPlanned), late);
        }
        long since = pendingSince == null ? at : pendingSince;
        // an input before the due time moves it to its own quiet period's end, not to that of the latest input: inputs at
        // or after the due time (one that moved the watermark on) come after that plan and must not put it off
        long quietAfter = due == null ? at + quietMillis : Math.max(due, at + quietMillis);
        return new AfterInput(new PlanSchedule(Math.min(quietAfter, since + maxDelayMillis), since, latest, lastPlanned), late);
    }

    /** After planning at {@code at}: due again if inputs at or after {@code at} are already known. */
    public PlanSchedule planned(long at, long quietMillis, long maxDelayMillis) {
        if (latestInput != null && latestInput >= at) {
            return new PlanSchedule(Math.min(latestInput + quietMillis, at + maxDelayMillis), at, latestInput, at);
        }
        return new PlanSchedule(null, null, latestInput, at);
    }

    /**
     * The time a plan asked for by a late input is made at: after the last planning (plan ids are the cluster and
     * the time) and not before the latest input.
     */
    public long replanTime() {
        long after = lastPlanned == null ? Long.MIN_VALUE : lastPlanned + 1;
        return latestInput == null ? after : Math.max(after, latestInput);
    }
}

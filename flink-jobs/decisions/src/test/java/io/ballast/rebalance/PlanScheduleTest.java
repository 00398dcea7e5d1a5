package io.ballast.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The rebalancer's schedule, input by input, in event-time milliseconds (quiet period 30, max delay 300). */
class PlanScheduleTest {
    private static final long QUIET = 30;
    private static final long MAX = 300;

    @Test
    void aQuietClusterIsPlannedAQuietPeriodAfterItsLatestInput() {
        PlanSchedule s = PlanSchedule.NONE.input(100, QUIET, MAX).schedule();
        s = s.input(110, QUIET, MAX).schedule();
        assertEquals(new PlanSchedule(140L, 100L, 110L, null), s);
        assertEquals(new PlanSchedule(140L, 100L, 110L, null), s.input(105, QUIET, MAX).schedule(), "an older input moves nothing");
    }

    @Test
    void aClusterThatNeverGoesQuietIsPlannedAtTheMaxDelay() {
        PlanSchedule s = PlanSchedule.NONE;
        for (long t = 0; t <= 390; t += 10) {
            s = s.input(t, QUIET, MAX).schedule();
            if (s.due() != null && t + 10 >= s.due()) {
                break;
            }
        }
        assertEquals(300L, s.due(), "first input at 0 + max delay 300");
    }

    @Test
    void anInputAtOrAfterTheDueTimeLeavesThatPlanAndIsPlannedAfterIt() {
        PlanSchedule s = PlanSchedule.NONE.input(100, QUIET, MAX).schedule();
        PlanSchedule.AfterInput after = s.input(130, QUIET, MAX);
        assertEquals(new PlanSchedule(130L, 100L, 130L, null), after.schedule());
        assertEquals(false, after.late());
        assertEquals(new PlanSchedule(160L, 130L, 130L, 130L), after.schedule().planned(130, QUIET, MAX));
    }

    @Test
    void anInputReadAfterOneAtTheDueTimeDoesNotPutThePlanOff() {
        // nodes at 0 (due 30), a node at 60 read before the shard reports of 0: the plan of 30 stays due at 30
        PlanSchedule s = PlanSchedule.NONE.input(0, QUIET, MAX).schedule().input(60, QUIET, MAX).schedule();
        PlanSchedule.AfterInput shard = s.input(0, QUIET, MAX);
        assertEquals(new PlanSchedule(30L, 0L, 60L, null), shard.schedule());
        assertEquals(false, shard.late());
    }

    @Test
    void afterAPlanWithNothingNewTheClusterWaits() {
        PlanSchedule s = PlanSchedule.NONE.input(100, QUIET, MAX).schedule().planned(130, QUIET, MAX);
        assertEquals(new PlanSchedule(null, null, 100L, 130L), s);
    }

    @Test
    void anInputNotAfterTheLastPlanningIsLateAndAsksForAPlanAfterIt() {
        // nodes at 100 planned at 130; the shard reports of 100, read after the watermark passed 130 (their source was idle)
        PlanSchedule planned = PlanSchedule.NONE.input(100, QUIET, MAX).schedule().input(140, QUIET, MAX).schedule()
                .planned(130, QUIET, MAX);
        PlanSchedule.AfterInput shard = planned.input(100, QUIET, MAX);

        assertEquals(true, shard.late());
        assertEquals(140L, shard.schedule().replanTime(), "the latest input, after the planning at 130");
        assertEquals(false, planned.input(131, QUIET, MAX).late());
        assertEquals(131L, PlanSchedule.NONE.input(100, QUIET, MAX).schedule().planned(130, QUIET, MAX).replanTime(),
                "just after the last planning when no input is later");
    }
}

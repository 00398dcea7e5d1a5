package io.ballast.jobs.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AutoscalerJobConfigTest {
    @Test
    void theDefaultsWaitAQuarterSecondForLiveInputAndFiveSecondsOfOutOfOrdernessForTheRest() {
        AutoscalerJobConfig config = AutoscalerJobConfig.parse(Map.of());
        assertEquals(Duration.ofMillis(250), config.evaluationDeadline());
        assertEquals(Duration.ofSeconds(5), config.outOfOrderness());
        assertEquals(Duration.ZERO, AutoscalerJobConfig.parse(Map.of("evaluation.deadline", "0s")).evaluationDeadline());
    }

    @Test
    void aDeadlineOfASyncPeriodOrMoreIsRefusedNamingBothKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AutoscalerJobConfig.parse(Map.of("sync.period", "5s", "evaluation.deadline", "5s")));
        assertEquals("evaluation.deadline must be at least 0 and less than sync.period (PT5S): PT5S", e.getMessage());
    }

    @Test
    void aResumeGraceOfTheIdlenessOrMoreIsRefusedNamingBothKeys() {
        assertEquals(Duration.ofSeconds(2), AutoscalerJobConfig.parse(Map.of()).sourceResumeGrace());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AutoscalerJobConfig.parse(Map.of("source.idleness", "1s")));
        assertEquals("source.resume.grace must be at least 0 and less than source.idleness (PT1S): PT2S", e.getMessage());
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AutoscalerJobConfig.parse(Map.of("evaluation.dedline", "1s")));
        assertEquals(true, e.getMessage().startsWith("unknown autoscaler job key 'evaluation.dedline'; known keys: [sync.period, "),
                e.getMessage());
    }
}

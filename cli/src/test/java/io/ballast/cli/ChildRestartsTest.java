package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.ballast.supervise.Backoff;
import org.junit.jupiter.api.Test;

/** up restarts a child at once after a long run, backs off while it keeps dying or failing to start, and never gives up. */
class ChildRestartsTest {
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void afterALongRunAtOnceThenDoublingWhileItKeepsFailing() {
        ChildRestarts restarts = new ChildRestarts(BACKOFF, 0);
        assertEquals(Duration.ZERO, restarts.failed(600_000));
        assertTrue(restarts.due(600_000));
        restarts.started(610_000);
        assertEquals(Duration.ofSeconds(2), restarts.failed(615_000), "died 5 s after its restart");
        assertFalse(restarts.due(616_000));
        assertTrue(restarts.due(617_000));
        assertEquals(Duration.ofSeconds(4), restarts.failed(617_000), "the restart itself failed");
        assertEquals(Duration.ofSeconds(8), restarts.failed(621_000));
        for (int i = 0; i < 10; i++) {
            restarts.failed(700_000);
        }
        assertEquals(Duration.ofSeconds(60), restarts.failed(800_000), "capped, and still retried");
        restarts.started(800_000);
        assertEquals(Duration.ZERO, restarts.failed(900_000), "a good run of over a minute starts afresh");
    }
}

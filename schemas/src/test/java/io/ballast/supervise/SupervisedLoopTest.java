package io.ballast.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.errors.AuthenticationException;
import org.junit.jupiter.api.Test;

/** A loop that fails is run again after its backoff, its failures are told and shown, and close stops it. */
class SupervisedLoopTest {
    @Test
    void aFailingRunIsRestartedWithBackoffAndItsFailureIsVisible() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch thirdRun = new CountDownLatch(1);
        List<LoopStatus> told = new CopyOnWriteArrayList<>();
        SupervisedLoop loop = new SupervisedLoop("test", running -> {
            int run = runs.incrementAndGet();
            if (run == 1) {
                throw new IOException("disk gone");
            }
            if (run == 2) {
                throw new AuthenticationException("bad password");
            }
            thirdRun.countDown();
            while (running.getAsBoolean()) {
                Thread.onSpinWait();
            }
        }, new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1)), told::add).start();
        assertTrue(thirdRun.await(10, TimeUnit.SECONDS));
        LoopStatus status = loop.status();
        assertEquals(LoopStatus.State.RUNNING, status.state());
        assertEquals(2, status.restarts());
        assertEquals("AuthenticationException: bad password", status.lastFailure());
        assertFalse(status.lastFailureTransient());
        assertEquals(2, told.size());
        assertEquals("IOException: disk gone", told.get(0).lastFailure());
        assertTrue(told.get(0).lastFailureTransient());
        assertEquals(LoopStatus.State.RESTARTING, told.get(0).state());
        loop.close();
        assertEquals(LoopStatus.State.STOPPED, loop.status().state());
        assertEquals(3, runs.get());
    }

    @Test
    void backoffDoublesUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(700));
        assertEquals(List.of(100L, 200L, 400L, 700L, 700L), List.of(1, 2, 3, 4, 5).stream().map(n -> backoff.delay(n).toMillis()).toList());
    }

    @Test
    void closeEndsAWaitForRestartAtOnce() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        SupervisedLoop loop = new SupervisedLoop("slow", running -> {
            throw new IllegalStateException("always");
        }, new Backoff(Duration.ofMinutes(10), Duration.ofMinutes(10)), s -> failed.countDown()).start();
        assertTrue(failed.await(10, TimeUnit.SECONDS));
        long start = System.nanoTime();
        loop.close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "close waited for the backoff");
        assertEquals(LoopStatus.State.STOPPED, loop.status().state());
    }
}

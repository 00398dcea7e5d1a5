package io.ballast.store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ballast.supervise.Backoff;
import io.ballast.supervise.SupervisedLoop;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** A real supervised loop that fails twice: its meters show 2 restarts and, once it runs, running = 1; stopped, 0. */
class LoopMetricsTest {
    @Test
    void restartsAndRunningAreMetered() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(1);
        SupervisedLoop loop = new SupervisedLoop("metered", running -> {
            if (runs.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            third.countDown();
            while (running.getAsBoolean()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }, new Backoff(Duration.ofMillis(5), Duration.ofMillis(50)), s -> { });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LoopMetrics.bind(registry, () -> List.of(loop.status()));
        loop.start();
        assertEquals(true, third.await(10, TimeUnit.SECONDS));
        assertEquals(2.0, registry.get("ballast.store.loop.restarts").tag("loop", "metered").functionCounter().count());
        assertEquals(1.0, registry.get("ballast.store.loop.running").tag("loop", "metered").gauge().value());
        loop.close();
        assertEquals(0.0, registry.get("ballast.store.loop.running").tag("loop", "metered").gauge().value());
    }
}

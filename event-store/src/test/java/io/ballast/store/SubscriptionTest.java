package io.ballast.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catch-up subscription started mid-history while appends go on: every position once, in order, across the switch to live. */
class SubscriptionTest {
    @TempDir
    Path dir;

    private static NewEvent event(int i) {
        return NewEvent.of(UUID.nameUUIDFromBytes(("sub/" + i).getBytes(StandardCharsets.UTF_8)), "T", Instant.EPOCH, new byte[] {(byte) i});
    }

    @Test
    void historyThenLiveWithNoGapAndNoDuplicate() throws Exception {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            for (int i = 0; i < 2500; i++) {
                store.appendAsync("s" + (i % 7), ExpectedVersion.ANY, List.of(event(i)));
            }
            store.append("s0", ExpectedVersion.ANY, List.of(event(2500)));
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(1);
            try (Subscription sub = store.subscribe(100, e -> {
                seen.add(e.position());
                if (e.position() == 4000) {
                    all.countDown();
                }
            })) {
                for (int i = 2501; i <= 4000; i++) {
                    store.appendAsync("live", ExpectedVersion.ANY, List.of(event(i)));
                }
                assertEquals(true, all.await(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS), "reached position 4000: " + sub.position());
            }
            assertEquals(3901, seen.size());
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(100 + i, seen.get(i));
            }
        }
    }

    @Test
    void aHandlerThatThrowsIsRetriedAtTheSameEventAndTheFailureIsVisible() throws Exception {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            for (int i = 0; i < 3; i++) {
                store.append("s", ExpectedVersion.ANY, List.of(event(i)));
            }
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
            CountDownLatch last = new CountDownLatch(1);
            try (Subscription sub = store.subscribe(0, e -> {
                if (e.position() == 1 && failures.getAndIncrement() < 2) {
                    throw new IllegalStateException("handler down");
                }
                seen.add(e.position());
                if (e.position() == 2) {
                    last.countDown();
                }
            })) {
                assertEquals(true, last.await(30, TimeUnit.SECONDS));
                assertEquals(2, sub.status().restarts());
                assertEquals("IllegalStateException: handler down", sub.status().lastFailure());
            }
            assertEquals(List.of(0L, 1L, 2L), seen);
        }
    }
}

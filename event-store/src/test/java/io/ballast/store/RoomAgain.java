package io.ballast.store;

import java.time.Duration;
import java.util.List;

import io.ballast.embedded.junit.Await;

/** For the tests of a store out of room: appends {@code event} as soon as the store takes appends again. */
final class RoomAgain {
    private RoomAgain() {
    }

    static void awaitAppended(EventStore store, String stream, NewEvent event, Duration timeout) {
        Await.until("an append taken again", timeout, () -> {
            try {
                store.append(stream, ExpectedVersion.ANY, List.of(event));
                return true;
            } catch (StoreFullException stillFull) {
                return false;
            }
        });
    }
}

package io.ballast.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The child process of {@link KillDuringAppendsTest}: appends from four threads until killed, printing
 * {@code ACK <eventId> <position>} for every append the store acknowledged (durable by then).
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        EventStore store = EventStore.open(Path.of(args[0]), StoreSettings.DEFAULTS);
        System.out.println("READY");
        System.out.flush();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; ; i++) {
                    UUID id = UUID.nameUUIDFromBytes(("crash/" + thread + "/" + i).getBytes(StandardCharsets.UTF_8));
                    AppendResult r = store.append("crash-" + thread, new ExpectedVersion.Exact(i - 1), List.of(NewEvent.of(id, "Crash",
                            Instant.ofEpochMilli(i), ("event " + i + " of thread " + thread).repeat(8).getBytes(StandardCharsets.UTF_8))));
                    synchronized (System.out) {
                        System.out.println("ACK " + id + " " + r.firstPosition());
                        System.out.flush();
                    }
                }
            });
            threads[t].start();
        }
        threads[0].join();
    }
}

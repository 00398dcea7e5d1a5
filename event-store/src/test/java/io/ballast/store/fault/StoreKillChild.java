package io.ballast.store.fault;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.store.AppendResult;
import io.ballast.store.EventStore;
import io.ballast.store.ExpectedVersion;
import io.ballast.store.NewEvent;
import io.ballast.store.StoreSettings;
import io.ballast.store.kafka.KafkaIngest;

/**
 * The child process of {@link StoreKillTest}: opens the store, archives every ballast.* topic and appends from
 * four threads (each stream continuing where the store says it is) until killed, printing {@code OPENED <ms>}
 * once the store is open, {@code ACK <eventId> <position>} for every append acknowledged, and every 100 ms
 * {@code OFFSETS <n>}: the offsets the store holds for the test's topic, summed over its partitions.
 * Arguments: the store's directory, the brokers, the topic.
 */
public final class StoreKillChild {
    private StoreKillChild() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        EventStore store = EventStore.open(Path.of(args[0]), StoreSettings.DEFAULTS);
        System.out.println("OPENED " + (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
        // the records are raw bytes (archived as Undecodable): the in-memory registry is never asked
        KafkaIngest ingest = new KafkaIngest(store, new KafkaClients(ClientConfig.defaults().with("bootstrap.servers", args[1])),
                RegistryClient.connect(RegistryConfig.of("mock://store-kill"))).start();
        String topic = args[2];
        Thread progress = new Thread(() -> {
            while (true) {
                long next = store.offsets().entrySet().stream().filter(e -> e.getKey().startsWith(topic + ":"))
                        .mapToLong(java.util.Map.Entry::getValue).sum();
                synchronized (System.out) {
                    System.out.println("OFFSETS " + next);
                    System.out.flush();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
            }
        });
        progress.setDaemon(true);
        progress.start();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            String stream = "kill-" + t;
            threads[t] = new Thread(() -> {
                for (long version = store.streamVersion(stream); ; version++) {
                    UUID id = UUID.randomUUID();
                    AppendResult r = store.append(stream, new ExpectedVersion.Exact(version), List.of(NewEvent.of(id, "Kill",
                            Instant.now(), ("event " + (version + 1) + " of " + stream).repeat(8).getBytes(StandardCharsets.UTF_8))));
                    synchronized (System.out) {
                        System.out.println("ACK " + id + " " + r.firstPosition());
                        System.out.flush();
                    }
                }
            });
            threads[t].start();
        }
        threads[0].join();
        ingest.close();
    }
}

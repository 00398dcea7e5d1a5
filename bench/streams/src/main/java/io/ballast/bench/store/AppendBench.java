package io.ballast.bench.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.ballast.bench.report.Bench;
import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Figure;
import io.ballast.bench.report.Goal;
import io.ballast.bench.report.Reference;
import io.ballast.bench.report.Scale;
import io.ballast.bench.report.Spread;
import io.ballast.bench.report.Suite;
import io.ballast.catalog.Topics;
import io.ballast.events.Action;
import io.ballast.serde.EventSerializer;
import io.ballast.store.EventStore;
import io.ballast.store.ExpectedVersion;
import io.ballast.store.NewEvent;
import io.ballast.store.StoreSettings;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Durable appends, one event per append, from 16 and from 64 concurrent clients (group commit shares the
 * syncs), beside raw RocksDB doing the same: as many writers, each writing synced {@link WriteBatch}es of one
 * encoded event, grouped by RocksDB's own write groups (the events per sync each reached are in the report).
 * <p>
 * An earlier reference gave each of its writers the store's whole group (events per sync × writers in flight,
 * where the store's clients have one event each in flight), which bounded the ratio near 1 / writers.
 */
public final class AppendBench implements Bench<BenchPlatform> {
    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public String name() {
        return "append";
    }

    @Override
    public List<Figure> run(BenchPlatform platform, Scale scale) throws Exception {
        EventSerializer<Action> serializer = new EventSerializer<>(platform.registryClient());
        int appends = scale.pick(20_000, 200_000);
        List<byte[]> events = new ArrayList<>(appends);
        for (int i = 0; i < appends; i++) {
            events.add(serializer.serialize(Topics.ACTIONS.name(), Actions.action(i)));
        }
        List<Figure> figures = new ArrayList<>();
        for (int clients : List.of(16, 64)) {
            List<Double> store = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            List<Double> batch = new ArrayList<>();
            List<Double> rawBatch = new ArrayList<>();
            for (int r = 0; r < scale.rounds(); r++) {
                double[] appended = append(platform.directory("append-" + runs.incrementAndGet()), events, clients);
                store.add(appended[0]);
                batch.add(appended[1]);
                double[] written = rawRocksDb(platform.directory("raw-" + runs.incrementAndGet()), events, clients);
                raw.add(written[0]);
                rawBatch.add(written[1]);
            }
            Suite.progress("append x" + clients + ": " + store + " events/s, raw " + raw + ", events per sync " + batch + ", raw " + rawBatch);
            figures.add(new Figure("store.append" + clients + "Clients.eventsPerSecond", "events/s", new Spread(store),
                    new Reference("rocksdb.syncedWriteBatch" + clients + "Writers.eventsPerSecond", new Spread(raw),
                            clients + " threads each writing synced WriteBatches (WriteOptions.sync) of one event, one key-value per event, "
                                    + "no index; RocksDB's write groups reached a median " + String.format("%.1f", new Spread(rawBatch).median())
                                    + " events per sync, the store's group commit " + String.format("%.1f", new Spread(batch).median())),
                    Goal.ratioAtLeast(0.5), appends + " Action events (" + events.get(0).length + " bytes encoded) appended by " + clients
                    + " clients, one event per append to a stream of its own with an exact expected version, each acknowledged once synced",
                    Map.of("eventsPerSync", new Spread(batch).rounds(), "rocksDbEventsPerSync", new Spread(rawBatch).rounds(), "absoluteGoal", clients == 16 ? 10_000 : 25_000,
                            "absoluteGoalMet", new Spread(store).median() >= (clients == 16 ? 10_000 : 25_000))));
        }
        return figures;
    }

    /** Returns events per second and events per sync. */
    private static double[] append(Path dir, List<byte[]> events, int clients) throws Exception {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            int each = events.size() / clients;
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        int n = client * each + i;
                        store.append("client-" + client, new ExpectedVersion.Exact(i - 1), List.of(NewEvent.of(
                                Actions.id("append/" + dir.getFileName() + "/" + n), "Action", Actions.action(n).getEnvelope().getOccurredAt(),
                                events.get(n))));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            long n = store.size();
            if (n != (long) each * clients) {
                throw new IllegalStateException("the store holds " + n + " events, " + (long) each * clients + " were appended");
            }
            return new double[] {n / seconds, n / (double) store.commits()};
        }
    }

    /** Returns events per second and events per WAL sync. */
    private static double[] rawRocksDb(Path dir, List<byte[]> events, int writers) throws Exception {
        Files.createDirectories(dir);
        try (Statistics statistics = new Statistics();
             Options options = new Options().setCreateIfMissing(true).setStatistics(statistics);
             RocksDB db = RocksDB.open(options, dir.toString());
             WriteOptions sync = new WriteOptions().setSync(true)) {
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            int each = events.size() / writers;
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        try (WriteBatch batch = new WriteBatch()) {
                            int n = writer * each + i;
                            batch.put(("event-" + n).getBytes(StandardCharsets.UTF_8), events.get(n));
                            db.write(sync, batch);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            long written = (long) each * writers;
            return new double[] {written / seconds, written / (double) Math.max(1, statistics.getTickerCount(TickerType.WAL_FILE_SYNCED))};
        }
    }
}

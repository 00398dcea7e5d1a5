package io.ballast.signals.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.ballast.events.MetricSample;
import io.ballast.events.Signal;
import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerde;
import io.ballast.signals.SampleCheck;
import io.ballast.signals.ServiceWindowCodec;
import io.ballast.signals.SignalRecords;
import io.ballast.signals.WindowBytes;
import io.ballast.signals.WindowSpec;
import io.ballast.streams.JsonSerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * ballast.metrics.raw → ballast.signals: screen each sample (refusals to the dead-letter topic, in the
 * same transaction), aggregate the accepted ones per service in event-time windows (RocksDB), and emit
 * one signal per metric when a window closes (suppression), plus early updates if configured.
 */
public final class SignalsTopology {
    public static final String APP = "ballast-signals";
    /**
     * Renamed (from signals-windows) when its retention grew: a window store reopened with another retention maps
     * its old segment directories to new names and silently starts empty; under a new name it is restored from its
     * own changelog instead, and only the windows open across the upgrade start over.
     */
    static final String WINDOWS_STORE = "signals-windows-by-service";
    /** How long closed windows stay in the store at least; see {@link #windowRetention}. */
    static final Duration MIN_WINDOW_RETENTION = Duration.ofMinutes(30);

    private SignalsTopology() {
    }

    public static Topology build(SignalsSettings settings, RegistryClient registry) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SampleScreen.STORE),
                Serdes.String(), Serdes.String()));
        EventDecoder<MetricSample> decoder = EventDecoder.specific(registry, MetricSample.class);
        SampleCheck check = new SampleCheck(settings.windows());

        KStream<byte[], Screened> screened = builder
                .stream(settings.inputTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("metrics-raw"))
                .processValues(() -> new SampleScreen(decoder, check), Named.as("screen"), SampleScreen.STORE);
        KStream<byte[], Screened> accepted = screened.split(Named.as("samples-"))
                .branch((key, s) -> s.isRefused(), Branched.withConsumer(refused -> refused
                        .mapValues(Screened::raw, Named.as("dead-letter-bytes"))
                        .to(settings.deadLetterTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letters"))))
                .defaultBranch(Branched.as("accepted"))
                .get("samples-accepted");

        TimeWindows windows = TimeWindows.ofSizeAndGrace(settings.windows().size(), settings.windows().grace())
                .advanceBy(settings.windows().advance());
        // the aggregate is the window's bytes (ServiceWindowCodec): a sample patches them instead of the
        // whole window being read and written back on every sample
        KTable<Windowed<byte[]>, byte[]> table = accepted
                .groupByKey(Grouped.with("by-service", Serdes.ByteArray(), JsonSerde.of(Screened.class)))
                .windowedBy(windows)
                .aggregate(WindowBytes::empty, (service, s, window) -> WindowBytes.add(window, s.sample(), settings.latency()),
                        Named.as("aggregate"),
                        Materialized.<byte[], byte[], WindowStore<Bytes, byte[]>>as(WINDOWS_STORE)
                                .withKeySerde(Serdes.ByteArray()).withValueSerde(Serdes.ByteArray())
                                .withRetention(windowRetention(settings.windows())));

        Serde<Signal> signals = EventSerde.of(registry, Signal.class);
        emit(table.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("until-closed")),
                true, "final", settings, signals);
        if (settings.emitEarly() != null) {
            emit(table.suppress(Suppressed.untilTimeLimit(settings.emitEarly(), Suppressed.BufferConfig.unbounded())
                    .withName("early")), false, "early", settings, signals);
        }
        return builder.build();
    }

    /**
     * Kafka Streams keeps a window store in RocksDB segments of half its retention (a minute at least) and opens a
     * new RocksDB instance whenever stream time enters a new segment, closing and deleting the oldest. At the
     * smallest retention (size + grace) that is an open and a delete per minute of event time: catching up on a
     * backlog of 50 minutes of samples spent about a third of its time there (bench, 107k -> 150k samples/s with
     * 30 minutes). Closed windows are never read again; they only wait on disk until their segment goes.
     */
    static Duration windowRetention(WindowSpec windows) {
        Duration least = windows.size().plus(windows.grace());
        return least.compareTo(MIN_WINDOW_RETENTION) > 0 ? least : MIN_WINDOW_RETENTION;
    }

    private static void emit(KTable<Windowed<byte[]>, byte[]> windows, boolean isFinal, String name,
                             SignalsSettings settings, Serde<Signal> signals) {
        windows.toStream(Named.as(name + "-windows"))
                .flatMap((window, aggregate) -> toSignals(window, aggregate, isFinal), Named.as(name + "-signals"))
                .to(settings.outputTopic(), Produced.with(Serdes.String(), signals).withName(name + "-sink"));
    }

    private static List<KeyValue<String, Signal>> toSignals(Windowed<byte[]> window, byte[] aggregate, boolean isFinal) {
        List<KeyValue<String, Signal>> out = new ArrayList<>();
        if (aggregate == null) {
            return out;
        }
        String service = new String(window.key(), StandardCharsets.UTF_8);
        ServiceWindowCodec.read(aggregate).metrics().values().forEach(metric -> out.add(KeyValue.pair(service,
                SignalRecords.toEvent(metric, window.window().start(), window.window().end(), isFinal))));
        return out;
    }
}

package io.ballast.store.http;

import java.util.List;
import java.util.function.Supplier;

import io.ballast.supervise.LoopStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The store's background loops as meters: {@code ballast.store.loop.restarts} (a counter per loop) and
 * {@code ballast.store.loop.running} (1 while the loop runs, 0 while it waits to restart or is stopped), tagged
 * {@code loop}. They read the loops' statuses when scraped; nothing is counted twice.
 */
public final class LoopMetrics {
    private LoopMetrics() {
    }

    /** Binds one counter and one gauge per loop {@code loops} lists now. */
    public static void bind(MeterRegistry registry, Supplier<List<LoopStatus>> loops) {
        for (String name : loops.get().stream().map(LoopStatus::name).toList()) {
            FunctionCounter.builder("ballast.store.loop.restarts", loops, l -> status(l, name).restarts())
                    .description("restarts of a background loop of the store after a failure").tag("loop", name).register(registry);
            Gauge.builder("ballast.store.loop.running", loops, l -> status(l, name).state() == LoopStatus.State.RUNNING ? 1 : 0)
                    .description("1 while the loop runs, 0 while it waits to restart or is stopped").tag("loop", name).register(registry);
        }
    }

    private static LoopStatus status(Supplier<List<LoopStatus>> loops, String name) {
        return loops.get().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no loop named " + name));
    }
}

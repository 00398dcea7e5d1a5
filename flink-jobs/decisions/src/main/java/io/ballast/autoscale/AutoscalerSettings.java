package io.ballast.autoscale;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ballast.config.Durations;

/**
 * The controller-level settings of the autoscaler: what kube-controller-manager takes as flags for the
 * HPA, plus how long samples and instances stay current. The defaults are HPA's where HPA has one.
 *
 * @param syncPeriod               how often each service is evaluated (HPA {@code --horizontal-pod-autoscaler-sync-period}, 15 s)
 * @param downscaleStabilization   the no-{@code behavior} path's window (HPA {@code --horizontal-pod-autoscaler-downscale-stabilization}, 5 min)
 * @param cpuInitializationPeriod  after an instance starts, its CPU samples count only once it is ready and a sample window has passed (HPA, 5 min)
 * @param initialReadinessDelay    an instance unready since within this long of its start is taken as never ready yet (HPA, 30 s)
 * @param sampleWindow             the window a resource sample covers (metrics-server's resolution, 15 s)
 * @param sampleStaleness          a series whose last sample is older than this is missing
 * @param instanceExpiry           an instance with no sample of any metric for this long is gone
 * @param scaleToZeroCooldown      with {@code minReplicas} 0 and no {@code scaleDownCooldownSeconds}: how long every metric must
 *                                 stay at or below its activation before scaling to zero (KEDA's {@code cooldownPeriod}, 300 s)
 */
public record AutoscalerSettings(Duration syncPeriod, Duration downscaleStabilization, Duration cpuInitializationPeriod,
                                 Duration initialReadinessDelay, Duration sampleWindow, Duration sampleStaleness,
                                 Duration instanceExpiry, Duration scaleToZeroCooldown) implements java.io.Serializable {

    /** Defaults that match kube-controller-manager, metrics-server and KEDA. */
    public static final AutoscalerSettings DEFAULTS = new AutoscalerSettings(Duration.ofSeconds(15), Duration.ofMinutes(5),
            Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(60),
            Duration.ofSeconds(120), Duration.ofSeconds(300));

    public AutoscalerSettings {
        positive("syncPeriod", syncPeriod);
        positive("downscaleStabilization", downscaleStabilization.plusMillis(1));
        positive("cpuInitializationPeriod", cpuInitializationPeriod.plusMillis(1));
        positive("initialReadinessDelay", initialReadinessDelay.plusMillis(1));
        positive("sampleWindow", sampleWindow);
        positive("sampleStaleness", sampleStaleness);
        positive("instanceExpiry", instanceExpiry);
        positive("scaleToZeroCooldown", scaleToZeroCooldown.plusMillis(1));
    }

    /** One controller setting as the job, {@code up --jobs} and {@code autoscale evaluate/simulate --setting} name it. */
    public record Key(String name, String defaultValue, String description) {
    }

    /** The controller settings a user may give, declared once: the job's keys and the offline tools' {@code --setting}s. */
    public static final List<Key> KEYS = List.of(
            new Key("sync.period", "15s", "evaluation period of every service, in event time (HPA's --horizontal-pod-autoscaler-sync-period)"),
            new Key("downscale.stabilization", "5m", "without behavior: the window whose highest recommendation holds a scale-down "
                    + "(HPA's --horizontal-pod-autoscaler-downscale-stabilization)"),
            new Key("cpu.initialization.period", "5m", "after an instance starts, its CPU counts only once it is ready and a sample "
                    + "window has passed (HPA's --horizontal-pod-autoscaler-cpu-initialization-period)"),
            new Key("initial.readiness.delay", "30s", "an instance unready since within this long of its start is taken as never "
                    + "ready yet (HPA's --horizontal-pod-autoscaler-initial-readiness-delay)"));

    /**
     * The defaults with {@code given} ({@link #KEYS} names to values: ISO-8601 or a number with a unit) over them; a name
     * that is not a key is refused with the known ones.
     */
    public static AutoscalerSettings parse(Map<String, String> given) {
        Map<String, Duration> values = new LinkedHashMap<>();
        KEYS.forEach(k -> values.put(k.name(), Durations.parse(k.name(), k.defaultValue())));
        given.forEach((name, value) -> {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("unknown autoscaler setting '" + name + "'; known: "
                        + KEYS.stream().map(Key::name).toList());
            }
            values.put(name, Durations.parse(name, value));
        });
        return new AutoscalerSettings(values.get("sync.period"), values.get("downscale.stabilization"),
                values.get("cpu.initialization.period"), values.get("initial.readiness.delay"), DEFAULTS.sampleWindow,
                DEFAULTS.sampleStaleness, DEFAULTS.instanceExpiry, DEFAULTS.scaleToZeroCooldown);
    }

    /** The same settings with another sync period. */
    public AutoscalerSettings withSyncPeriod(Duration period) {
        return new AutoscalerSettings(period, downscaleStabilization, cpuInitializationPeriod, initialReadinessDelay,
                sampleWindow, sampleStaleness, instanceExpiry, scaleToZeroCooldown);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("autoscaler setting " + name + " must be positive, got " + value);
        }
    }
}

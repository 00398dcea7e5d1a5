package io.ballast.autoscale;

import java.time.Duration;

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

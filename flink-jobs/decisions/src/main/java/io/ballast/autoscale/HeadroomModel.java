package io.ballast.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.ballast.autoscale.DecisionState.Instance;
import io.ballast.autoscale.DecisionState.Series;
import io.ballast.autoscale.DecisionState.Used;
import io.ballast.autoscale.Policy.HeadroomRule;
import io.ballast.events.InstancePhase;

/**
 * Ballast's headroom beyond HPA: keep ready the CPU in use plus the largest recent rise of it over the time a new
 * instance takes to become ready, so that a surge like the recent ones is met by instances already there. The rise is
 * a decayed peak, learned online from the service's own history; the startup is the longest start-to-ready its
 * instances have shown; a falling need is followed through its decayed peak (Autopilot's scale-down). All state is
 * bounded: the CPU in use at the evaluations of one startup horizon, two numbers and the startup.
 *
 * <p>A need a little above the replicas there starts none: a replica started for a fraction of one (at most half of
 * one, and no more than HPA's tolerance would ignore) is mostly noise of the minute's load, and it costs a whole
 * startup before it serves; on the World Cup 98 trace at a 300 s startup, one-replica ups undone minutes later spent
 * more replica-minutes starting than the headroom saved.
 */
final class HeadroomModel {
    /** Until an instance has shown how long it takes to become ready. */
    static final Duration DEFAULT_STARTUP = Duration.ofSeconds(60);

    /** The most of a replica's worth of need above the replicas there that starts none. */
    static final double UP_DEADBAND_REPLICAS = 0.5;

    /** The replicas there ({@code current}, HPA's spec), the policy's bounds and its scale-up tolerance. */
    record Scale(int current, int minReplicas, int maxReplicas, double upTolerance) {
    }

    /** What it would decide, why, and what it remembers. */
    record Outcome(int replicas, String detail, DecisionState.Headroom state) {
    }

    private HeadroomModel() {
    }

    /**
     * The replicas the headroom needs at {@code now}, or null when no ready instance reports the CPU metric (HPA decides).
     *
     * @param cpu the policy's CPU utilization metric
     */
    static Outcome evaluate(HeadroomRule rule, DecisionState.Headroom previous, Policy.MetricTarget cpu, Collection<Instance> pods,
                            ReplicaCalculator calculator, Duration syncPeriod, Scale scale, Instant now) {
        double used = 0;
        int reporting = 0;
        long startup = previous == null ? 0 : previous.startupMillis();
        for (Instance pod : pods) {
            if (pod.startedAt() != null && pod.readinessChangedAt() != null && pod.ready()) {
                startup = Math.max(startup, Duration.between(pod.startedAt(), pod.readinessChangedAt()).toMillis());
            }
            Series s = pod.series().get(cpu.name());
            if (pod.phase() != InstancePhase.RUNNING || !pod.ready() || pod.deleted() || s == null || s.request() == null
                    || !(s.request() > 0) || !calculator.isFresh(s, now)) {
                continue;
            }
            used += s.value() / s.request();
            reporting++;
        }
        if (reporting == 0) {
            return null;
        }
        long horizon = (startup == 0 ? DEFAULT_STARTUP.toMillis() : startup) + 2 * syncPeriod.toMillis();
        List<Used> recent = new ArrayList<>();
        double lowest = used;
        Instant last = null;
        if (previous != null) {
            for (Used u : previous.recent()) {
                if (!u.at().isBefore(now.minusMillis(horizon)) && u.at().isBefore(now)) {
                    recent.add(u);
                    lowest = Math.min(lowest, u.requests());
                }
            }
            last = previous.recent().isEmpty() ? null : previous.recent().get(previous.recent().size() - 1).at();
        }
        recent.add(new Used(now, used));
        double elapsed = last == null ? syncPeriod.toMillis() / 1000.0 : Math.max(0, Duration.between(last, now).toMillis() / 1000.0);
        double rise = Math.max(used - lowest, previous == null ? 0 : previous.rise() * decay(elapsed, rule.riseHalfLifeSeconds()));
        double need = (used + rule.riseWeight() * rise) / rule.utilization();
        double held = Math.max(need, previous == null ? 0 : previous.need() * decay(elapsed, rule.downHalfLifeSeconds()));
        int floor = Math.max(scale.minReplicas(), 1);
        int replicas = Math.max(floor, Math.min(scale.maxReplicas(), (int) Math.ceil(held - 1e-9)));
        double deadband = Math.min(UP_DEADBAND_REPLICAS, scale.upTolerance() * scale.current());
        boolean waits = replicas > scale.current() && scale.current() >= floor && held - scale.current() <= deadband;
        String detail = String.format(java.util.Locale.ROOT, "headroom: %.2f requests of CPU in use + %.2f x a recent rise of %.2f "
                + "(within %d s of startup) over %.2f = %.2f%s%s", used, rule.riseWeight(), rise, horizon / 1000, rule.utilization(), need,
                held > need ? String.format(java.util.Locale.ROOT, ", held at %.2f as the need falls", held) : "",
                waits ? String.format(java.util.Locale.ROOT, "; within %.2f of the %d there: no replica started for it", deadband,
                        scale.current()) : "");
        if (waits) {
            replicas = scale.current();
        }
        return new Outcome(replicas, detail, new DecisionState.Headroom(recent, rise, held, startup));
    }

    private static double decay(double seconds, int halfLife) {
        return Math.pow(0.5, seconds / Math.max(1, halfLife));
    }
}

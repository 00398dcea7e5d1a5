package io.ballast.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;

/**
 * The autoscaler in a closed loop over a load trace, for "what would this policy have done on last month's traffic?".
 * Each replica serves {@code capacity} requests per minute at 100 % of a one-core request; a new replica is ready
 * {@code startup} after it was created, a removed one goes at once (starting ones first, then the newest). Every sync
 * period each ready replica reports its CPU (the minute's load over the ready replicas over the capacity, in cores),
 * a starting one reports itself unready, the replica status lists them all, and the decision is applied and fed back,
 * through the same {@link Autoscaler} the job runs. The loop starts with every replica ready that the first minute's
 * load needs at the CPU target, within the policy's bounds.
 */
public final class ClosedLoop {
    private static final String SERVICE = "simulated";
    private static final String CPU = "cpu";

    /** The loop's model of the service. */
    public record Model(double capacity, Duration startup) {
        public Model {
            if (!(capacity > 0) || Double.isInfinite(capacity)) {
                throw new IllegalArgumentException("capacity must be a number of requests per minute above 0, got " + capacity);
            }
            if (startup.isNegative()) {
                throw new IllegalArgumentException("startup must not be negative, got " + startup);
            }
        }
    }

    /** Requests in the minute that starts at {@code at}. */
    public record Minute(Instant at, double requests) {
    }

    /** One sync period of the run, as the chart draws it. */
    public record Slice(Instant at, double demand, double readyCapacity, int replicas, int ready) {
    }

    /** A run of overloaded slices and how long until ready capacity caught up with demand. */
    public record Surge(Instant start, double minutes) {
    }

    /** What the run gave: the report's figures and every slice. */
    public record Result(double overloadMinutes, double unservedShare, double replicaMinutes, double p50ChangesPerDay,
                         double p99ChangesPerDay, int maxChangesPerDay, int changes, long evaluations, double simulatedDays,
                         List<Surge> surges, List<Slice> slices) {
    }

    private final Autoscaler autoscaler;
    private final Model model;

    public ClosedLoop(AutoscalerSettings settings, Model model) {
        this.autoscaler = new Autoscaler(settings);
        this.model = model;
    }

    /** Runs {@code policy} over {@code load} (minutes in time order; a minute absent from it had no requests). */
    public Result run(Policy policy, List<Minute> load) {
        if (load.isEmpty()) {
            throw new IllegalArgumentException("the load trace has no minute");
        }
        Map<Instant, Double> perMinute = new TreeMap<>();
        load.forEach(m -> perMinute.merge(m.at(), m.requests(), Double::sum));
        Instant start = load.get(0).at();
        Instant end = load.get(load.size() - 1).at().plusSeconds(60);
        long period = autoscaler.settings().syncPeriod().toMillis();
        Fleet fleet = new Fleet(start, initialReplicas(policy, load.get(0).requests()));
        DecisionState state = autoscaler.applyAll(DecisionState.empty(SERVICE), List.of(new Input.PolicyChange(start, policy))).state();
        Tally tally = new Tally(period / 60_000.0);
        for (Instant now = start; now.isBefore(end); now = now.plusMillis(period)) {
            double demand = perMinute.getOrDefault(now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES), 0.0);
            int ready = fleet.ready(now);
            state = autoscaler.applyAll(state, fleet.report(now, demand, ready, model)).state();
            Autoscaler.Evaluation evaluation = autoscaler.decide(state, now);
            state = evaluation.state();
            tally.slice(now, demand, ready * model.capacity(), fleet.size(), ready);
            if (evaluation instanceof Autoscaler.Evaluation.Decided decided && decided.decision().changesReplicas()) {
                fleet.scaleTo(decided.decision().desiredReplicas(), now, model.startup());
                tally.change(now);
            }
        }
        return tally.result();
    }

    private int initialReplicas(Policy policy, double firstMinute) {
        double target = policy.metrics().stream().filter(m -> m.name().equals(CPU)).mapToDouble(Policy.MetricTarget::target)
                .findFirst().orElse(100) / 100.0;
        int needed = (int) Math.ceil(firstMinute / (model.capacity() * target));
        return Math.max(Math.max(policy.minReplicas(), 1), Math.min(policy.maxReplicas(), needed));
    }

    /** The replicas: each with its creation time; ready once the startup has passed. */
    private static final class Fleet {
        private final List<Instant> created = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private long next;

        Fleet(Instant at, int replicas) {
            for (int i = 0; i < replicas; i++) {
                add(at.minusSeconds(3600));
            }
        }

        int size() {
            return names.size();
        }

        int ready(Instant now) {
            return (int) created.stream().filter(c -> !c.isAfter(now)).count();
        }

        private void add(Instant readyAt) {
            created.add(readyAt);
            names.add("r-" + next++);
        }

        /** The status listing every replica, and a CPU sample of each (unready while it starts). */
        List<Input> report(Instant now, double demand, int ready, Model model) {
            List<Input> inputs = new ArrayList<>(names.size() + 1);
            inputs.add(new Input.ReplicaChange(now, SERVICE, names.size(), names.size(), ready, null, List.copyOf(names)));
            double cores = ready == 0 ? 0 : demand / ready / model.capacity();
            for (int i = 0; i < names.size(); i++) {
                Instant readyAt = created.get(i);
                boolean isReady = !readyAt.isAfter(now);
                inputs.add(new Input.Sample(now, SERVICE, names.get(i), CPU, MetricKind.GAUGE, isReady ? cores : 0, "cores",
                        isReady ? InstancePhase.RUNNING : InstancePhase.PENDING, isReady, false, readyAt.minus(model.startup()),
                        isReady ? readyAt : null, 1.0));
            }
            return inputs;
        }

        /** Adds replicas ready after the startup, or removes the starting ones first, then the newest. */
        void scaleTo(int desired, Instant now, Duration startup) {
            while (names.size() < desired) {
                add(now.plus(startup));
            }
            while (names.size() > desired) {
                int victim = names.size() - 1;
                for (int i = names.size() - 1; i >= 0; i--) {
                    if (created.get(i).isAfter(now)) {
                        victim = i;
                        break;
                    }
                }
                created.remove(victim);
                names.remove(victim);
            }
        }
    }

    /** The report's figures, counted per sync-period slice. */
    private static final class Tally {
        private final double sliceMinutes;
        private final List<Slice> slices = new ArrayList<>();
        private final Map<java.time.LocalDate, Integer> changesPerDay = new TreeMap<>();
        private final List<Surge> surges = new ArrayList<>();
        private double overloadMinutes;
        private double unserved;
        private double requests;
        private double replicaMinutes;
        private int changes;
        private Instant surgeStart;
        private double surgeMinutes;

        Tally(double sliceMinutes) {
            this.sliceMinutes = sliceMinutes;
        }

        void slice(Instant at, double demand, double readyCapacity, int replicas, int ready) {
            slices.add(new Slice(at, demand, readyCapacity, replicas, ready));
            changesPerDay.putIfAbsent(at.atZone(ZoneOffset.UTC).toLocalDate(), 0);
            requests += demand * sliceMinutes;
            replicaMinutes += replicas * sliceMinutes;
            if (demand > readyCapacity) {
                overloadMinutes += sliceMinutes;
                unserved += (demand - readyCapacity) * sliceMinutes;
                if (surgeStart == null) {
                    surgeStart = at;
                    surgeMinutes = 0;
                }
                surgeMinutes += sliceMinutes;
            } else if (surgeStart != null) {
                surges.add(new Surge(surgeStart, surgeMinutes));
                surgeStart = null;
            }
        }

        void change(Instant at) {
            changes++;
            changesPerDay.merge(at.atZone(ZoneOffset.UTC).toLocalDate(), 1, Integer::sum);
        }

        Result result() {
            if (surgeStart != null) {
                surges.add(new Surge(surgeStart, surgeMinutes));
            }
            List<Integer> daily = changesPerDay.values().stream().sorted().toList();
            double days = slices.size() * sliceMinutes / (24 * 60);
            return new Result(overloadMinutes, requests == 0 ? 0 : unserved / requests, replicaMinutes, percentile(daily, 0.5),
                    percentile(daily, 0.99), daily.isEmpty() ? 0 : daily.get(daily.size() - 1), changes, slices.size(), days,
                    surges, slices);
        }

        private static double percentile(List<Integer> sorted, double p) {
            if (sorted.isEmpty()) {
                return 0;
            }
            // nearest rank
            int rank = (int) Math.ceil(p * sorted.size());
            return sorted.get(Math.max(0, rank - 1));
        }
    }

    /** The slices thinned to at most {@code points}, each the highest demand, lowest capacity and most replicas of its run. */
    public static List<Slice> thin(List<Slice> slices, int points) {
        if (slices.size() <= points) {
            return slices;
        }
        int step = (int) Math.ceil(slices.size() / (double) points);
        List<Slice> thinned = new ArrayList<>();
        Iterator<Slice> it = slices.iterator();
        while (it.hasNext()) {
            Slice first = it.next();
            double demand = first.demand();
            double capacity = first.readyCapacity();
            int replicas = first.replicas();
            int ready = first.ready();
            for (int i = 1; i < step && it.hasNext(); i++) {
                Slice s = it.next();
                demand = Math.max(demand, s.demand());
                capacity = Math.min(capacity, s.readyCapacity());
                replicas = Math.max(replicas, s.replicas());
                ready = Math.min(ready, s.ready());
            }
            thinned.add(new Slice(first.at(), demand, capacity, replicas, ready));
        }
        return thinned;
    }
}

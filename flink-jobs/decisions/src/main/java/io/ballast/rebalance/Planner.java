package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Plans the moves that bring a cluster within its goals. Goals are pursued one by one in priority order;
 * a goal's optimisation repeatedly makes the single move that most reduces its excess (then the fewest
 * bytes, then onto the least loaded node), and only moves that every higher goal accepts: a met goal stays
 * met, an unmet one gets no worse. A higher goal is never traded for a lower one. Passes repeat until no
 * goal moves anything, so the final placement is a fixed point: re-planning it gives an empty plan. The
 * plan is the difference between the initial and the final placement. The same model and settings always
 * give the same plan.
 */
public final class Planner {
    private static final int MAX_PASSES = 64;
    private static final int FIRST_DESTINATIONS = 48;

    private final PlannerSettings settings;

    public Planner(PlannerSettings settings) {
        this.settings = settings;
    }

    public Planner() {
        this(PlannerSettings.DEFAULTS);
    }

    public PlannerSettings settings() {
        return settings;
    }

    public Plan plan(Cluster cluster) {
        ClusterValidation.require(cluster);
        Placement p = new Placement(cluster);
        List<GoalRule> rules = settings.goals().stream().map(g -> GoalRule.of(g, p, settings)).toList();
        rules.forEach(GoalRule::refresh);
        double[] before = rules.stream().mapToDouble(GoalRule::figure).toArray();
        boolean[] metBefore = new boolean[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            metBefore[i] = rules.get(i).satisfied();
        }
        Optional<GoalRule> unmet = rules.stream().filter(r -> !r.satisfied()).findFirst();
        if (unmet.isEmpty()) {
            return new Plan(cluster.id(), Plan.Status.EMPTY, null, List.of(), List.of(), figures(rules, before),
                    null, "every goal is met");
        }
        Plan.Trigger trigger = triggerOf(unmet.get(), p);
        for (GoalRule rule : rules) {
            Optional<String> impossible = rule.hard ? rule.impossibility() : Optional.empty();
            if (impossible.isPresent()) {
                return infeasible(cluster, trigger, rules, before, metBefore, rule, impossible.get());
            }
        }
        optimise(p, rules);
        for (GoalRule rule : rules) {
            if (rule.hard && !rule.satisfied()) {
                return infeasible(cluster, trigger, rules, before, metBefore, rule, String.format(Locale.ROOT,
                        "no placement found that meets it (figure %.4g after every move the higher goals allow)", rule.figure()));
            }
        }
        List<Plan.Move> moves = Phasing.phase(difference(p), settings.maxConcurrentMovesPerNode(), settings.maxBytesPerPhase());
        List<Plan.LeaderChange> leaderChanges = leaderChanges(p, moves);
        List<Plan.GoalFigure> figures = figures(rules, before);
        if (moves.isEmpty() && leaderChanges.isEmpty()) {
            return new Plan(cluster.id(), Plan.Status.EMPTY, trigger, moves, leaderChanges, figures, null,
                    unmet.get().goal.id() + " is unmet, but no move improves it without making a higher goal worse");
        }
        long bytes = moves.stream().mapToLong(Plan.Move::bytes).sum();
        int phases = moves.isEmpty() ? 0 : moves.get(moves.size() - 1).phase();
        String why = String.format(Locale.ROOT, "%s: %s unmet (%.4g); ", trigger, unmet.get().goal.id(), before[rules.indexOf(unmet.get())]);
        String what = moves.isEmpty() ? leaderChanges.size() + " leader changes, no data moved"
                : String.format(Locale.ROOT, "%d moves, %d bytes, %d phases", moves.size(), bytes, phases)
                + (leaderChanges.isEmpty() ? "" : "; then " + leaderChanges.size() + " leader changes");
        return new Plan(cluster.id(), Plan.Status.PLANNED, trigger, moves, leaderChanges, figures, null, why + what);
    }

    private void optimise(Placement p, List<GoalRule> rules) {
        boolean joining = false;
        for (int n = 0; n < p.nodes(); n++) {
            joining |= p.fresh[n];
        }
        // per goal, the sources found without an acceptable move (see below): kept from one pass to the next
        List<boolean[]> fruitless = new ArrayList<>();
        rules.forEach(r -> fruitless.add(new boolean[p.nodes()]));
        List<Destinations> destinations = new ArrayList<>();
        for (GoalRule rule : rules) {
            destinations.add(new Destinations(p, rule, joining && !rule.hard, FIRST_DESTINATIONS));
        }
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            boolean moved = false;
            for (int i = 0; i < rules.size(); i++) {
                GoalRule rule = rules.get(i);
                if (!rule.satisfied()) {
                    // a soft goal fixed while nodes join moves replicas onto the new nodes only, never between old ones
                    moved |= optimise(p, rule, i, rules, joining && !rule.hard, fruitless.get(i), destinations.get(i));
                }
            }
            if (!moved) {
                return;
            }
        }
    }

    private boolean optimise(Placement p, GoalRule rule, int rank, List<GoalRule> rules, boolean ontoFreshOnly,
                             boolean[] fruitless, Destinations ordered) {
        GoalRule[] higher = rules.subList(0, rank).toArray(GoalRule[]::new);
        GoalRule[] lower = rules.subList(rank + 1, rules.size()).toArray(GoalRule[]::new);
        int guard = 100;
        for (int s = 0; s < p.shards(); s++) {
            guard += 4 * p.slotNode[s].length;
        }
        // leadership changes hands without moving data: replicas move for leader counts only if that is not enough
        boolean moved = rule.goal == Goal.LEADER_DISTRIBUTION && LeaderTransfers.balance(p, rule, ontoFreshOnly);
        if (moved && rule.satisfied()) {
            return true;
        }
        // a source with no acceptable move mostly stays so after a move elsewhere: it is passed over until no
        // other source has a move, and looked at again before the goal gives up (so the result is a fixed point)
        while (guard-- > 0) {
            Best best = null;
            int[] destinations = ordered.get();
            boolean skipped = false;
            for (int from : rule.sources()) {
                if (fruitless[from]) {
                    skipped = true;
                    continue;
                }
                best = bestFrom(p, rule, higher, lower, from, destinations);
                if (best != null) {
                    break;
                }
                fruitless[from] = true;
            }
            if (best == null) {
                if (!skipped) {
                    return moved;
                }
                java.util.Arrays.fill(fruitless, false);
                continue;
            }
            Candidate c = best.candidate;
            double[] after = rules.stream().mapToDouble(r -> r.figureAfter(c)).toArray();
            p.move(c.shard(), c.slot(), c.to(), () -> rule.reason(c), rank);
            for (int i = 0; i < rules.size(); i++) {
                rules.get(i).moved(after[i]);
            }
            moved = true;
        }
        return moved;
    }

    /**
     * A candidate and what ranks it: the most progress on its goal, then the fewest lower goals it hurts
     * (by priority: a move that keeps rack awareness beats one that a later move must undo), then the
     * fewest bytes, then the least loaded destination.
     */
    private static final class Best {
        final Candidate candidate;
        final double delta;
        final long bytes;
        final double pressure;
        private final GoalRule[] lower;
        private long hurts = -1;

        Best(Candidate candidate, double delta, long bytes, double pressure, GoalRule[] lower) {
            this.candidate = candidate;
            this.delta = delta;
            this.bytes = bytes;
            this.pressure = pressure;
            this.lower = lower;
        }

        /** One bit per lower goal the move hurts, the highest-priority goal in the most significant bit. */
        long hurts() {
            if (hurts < 0) {
                hurts = 0;
                for (int i = 0; i < lower.length; i++) {
                    if (!lower[i].accepts(candidate)) {
                        hurts |= 1L << (lower.length - 1 - i);
                    }
                }
            }
            return hurts;
        }

        /** Whether a candidate of this {@code delta} cannot be better than this one, whatever its other traits. */
        boolean clearlyBetterThan(double delta) {
            return delta - this.delta > tolerance(this.delta, delta);
        }

        private static double tolerance(double a, double b) {
            return 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
        }

        boolean betterThan(Best other) {
            if (other == null) {
                return true;
            }
            if (Math.abs(delta - other.delta) > tolerance(delta, other.delta)) {
                return delta < other.delta;
            }
            if (other.hurts() == 0) {
                // this one cannot hurt fewer: it wins only by the later tie-breakers, and only if it hurts none either;
                // judged in that order, the lower goals are asked about it only if it would win
                return winsOnBytesOrPressure(other) && hurts() == 0;
            }
            if (hurts() != other.hurts()) {
                return hurts() < other.hurts();
            }
            return winsOnBytesOrPressure(other);
        }

        private boolean winsOnBytesOrPressure(Best other) {
            if (bytes != other.bytes) {
                return bytes < other.bytes;
            }
            return pressure < other.pressure - 1e-12;
        }
    }

    private Best bestFrom(Placement p, GoalRule rule, GoalRule[] higher, GoalRule[] lower, int from, int[] ordered) {
        if (!rule.fewDestinationsSuffice() || ordered.length <= FIRST_DESTINATIONS) {
            return bestFrom(p, rule, higher, lower, from, ordered, 0, ordered.length);
        }
        // on a large cluster the best destination is nearly always among the least loaded; a soft goal
        // looks no further, a hard one does when those cannot take the replica
        Best best = bestFrom(p, rule, higher, lower, from, ordered, 0, FIRST_DESTINATIONS);
        return best != null || !rule.hard ? best : bestFrom(p, rule, higher, lower, from, ordered, FIRST_DESTINATIONS, ordered.length);
    }

    private Best bestFrom(Placement p, GoalRule rule, GoalRule[] higher, GoalRule[] lower, int from, int[] destinations,
                          int start, int end) {
        Best best = null;
        double[] pressure = new double[end - start];
        double[] destinationBound = new double[end - start];
        double lowestDestinationBound = Double.POSITIVE_INFINITY;
        for (int i = start; i < end; i++) {
            pressure[i - start] = p.pressure(destinations[i]);
            destinationBound[i - start] = rule.destinationDeltaBound(destinations[i]);
            lowestDestinationBound = Math.min(lowestDestinationBound, destinationBound[i - start]);
        }
        SlotKeys onFrom = p.onNode[from];
        for (int held = 0; held < onFrom.size(); held++) {
            long key = onFrom.get(held);
            int shard = Placement.shardOf(key);
            int slot = Placement.slotOf(key);
            if (!rule.movable(shard, slot)) {
                continue;
            }
            double sourceDelta = rule.sourceDelta(shard, slot, from);
            if (cannotWin(best, sourceDelta + lowestDestinationBound, p.size[shard])) {
                continue;
            }
            for (int i = start; i < end; i++) {
                int to = destinations[i];
                if (to == from || p.holds(to, shard) || cannotWin(best, sourceDelta + destinationBound[i - start], p.size[shard])) {
                    continue;
                }
                Candidate c = new Candidate(shard, slot, from, to);
                double delta = rule.delta(c);
                if (delta >= -GoalRule.EPS || (best != null && best.clearlyBetterThan(delta)) || !acceptedByAll(higher, c)
                        || rule.figureAfter(c) > rule.figure() + GoalRule.EPS) {
                    continue;
                }
                Best candidate = new Best(c, delta, p.size[shard], pressure[i - start], lower);
                if (candidate.betterThan(best)) {
                    best = candidate;
                }
            }
        }
        return best;
    }

    /**
     * Whether no move of a replica of {@code bytes} whose every delta is at least {@code bound} can be better than
     * {@code best}: none makes progress, or each is clearly worse, or none is better (the first tie-breaker) while
     * {@code best} hurts no lower goal and moves fewer bytes (the next two). Passing over such moves (a replica's
     * all at once, or one destination's) gives the plan the full search gives, for a fraction of the search.
     */
    private static boolean cannotWin(Best best, double bound, long bytes) {
        // the bound is a sum in another order than the delta's: a margin far above rounding, far below any real difference
        double lowest = bound - 1e-12 * Math.max(1, Math.abs(bound));
        if (lowest >= -GoalRule.EPS) {
            return true;
        }
        return best != null && (best.clearlyBetterThan(lowest) || (lowest >= best.delta && bytes > best.bytes && best.hurts() == 0));
    }

    private static boolean acceptedByAll(GoalRule[] higher, Candidate c) {
        for (GoalRule rule : higher) {
            if (!rule.accepts(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Initial versus final placement per shard: a replica moved A→B→C is one move A→C. A slot whose first
     * node is gone and whose last node is new is that slot's move, with that slot's reason; what is left
     * (replicas that moved in a chain through each other's nodes) pairs up in slot order, with the reasons
     * of every slot of the shard that moved.
     */
    private static List<Plan.Move> difference(Placement p) {
        List<long[]> order = new ArrayList<>();
        List<Plan.Move> moves = new ArrayList<>();
        for (int s = 0; s < p.shards(); s++) {
            Set<Integer> initial = asSet(p.initialNode[s]);
            Set<Integer> fin = asSet(p.slotNode[s]);
            List<Integer> removed = new ArrayList<>();
            List<Integer> added = new ArrayList<>();
            for (int k = 0; k < p.slotNode[s].length; k++) {
                int was = p.initialNode[s][k];
                int is = p.slotNode[s][k];
                if (!fin.contains(was) && !initial.contains(is)) {
                    removed.add(was);
                    added.add(is);
                    long key = Placement.slotKey(s, k);
                    moves.add(new Plan.Move(p.shardId[s], p.nodeId[was], p.nodeId[is], p.size[s], 0, p.reasons.get(key)));
                    order.add(new long[] {p.firstGoalRank.get(key), moves.size() - 1});
                }
            }
            List<Integer> from = new ArrayList<>();
            List<Integer> to = new ArrayList<>();
            for (int k = 0; k < p.slotNode[s].length; k++) {
                if (!fin.contains(p.initialNode[s][k]) && !removed.contains(p.initialNode[s][k])) {
                    from.add(p.initialNode[s][k]);
                }
                if (!initial.contains(p.slotNode[s][k]) && !added.contains(p.slotNode[s][k])) {
                    to.add(p.slotNode[s][k]);
                }
            }
            for (int i = 0; i < from.size(); i++) {
                moves.add(new Plan.Move(p.shardId[s], p.nodeId[from.get(i)], p.nodeId[to.get(i)], p.size[s], 0, chainReason(p, s)));
                order.add(new long[] {chainRank(p, s), moves.size() - 1});
            }
        }
        order.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        return order.stream().map(o -> moves.get((int) o[1])).toList();
    }

    private static String chainReason(Placement p, int shard) {
        Set<String> reasons = new java.util.LinkedHashSet<>();
        for (int k = 0; k < p.slotNode[shard].length; k++) {
            String reason = p.reasons.get(Placement.slotKey(shard, k));
            if (reason != null) {
                reasons.add(reason);
            }
        }
        return String.join("; ", reasons);
    }

    private static long chainRank(Placement p, int shard) {
        long rank = Integer.MAX_VALUE;
        for (int k = 0; k < p.slotNode[shard].length; k++) {
            rank = Math.min(rank, p.firstGoalRank.getOrDefault(Placement.slotKey(shard, k), Integer.MAX_VALUE));
        }
        return rank;
    }

    /**
     * Where the moves alone would put each shard's leader, against where the planner put it. They differ
     * when the planner handed leadership to another replica (see {@link LeaderTransfers}), and when
     * replicas moved in a chain (slot 1 B→C, then slot 0, the leader, A→B): the difference is the one move
     * A→C, which leaves the leader on C, while the planner counted it on B.
     */
    private static List<Plan.LeaderChange> leaderChanges(Placement p, List<Plan.Move> moves) {
        java.util.Map<String, List<Plan.Move>> byShard = new java.util.HashMap<>();
        moves.forEach(m -> byShard.computeIfAbsent(m.shard(), k -> new ArrayList<>()).add(m));
        List<Plan.LeaderChange> changes = new ArrayList<>();
        for (int s = 0; s < p.shards(); s++) {
            int slot = p.leaderSlot[s];
            if (slot < 0) {
                continue;
            }
            String led = p.nodeId[p.initialNode[s][p.initialLeaderSlot[s]]];
            for (Plan.Move move : byShard.getOrDefault(p.shardId[s], List.of())) {
                if (move.from().equals(led)) {
                    led = move.to();
                }
            }
            String leader = p.nodeId[p.slotNode[s][slot]];
            if (!led.equals(leader)) {
                changes.add(new Plan.LeaderChange(p.shardId[s], led, leader));
            }
        }
        return changes;
    }

    private static Set<Integer> asSet(int[] nodes) {
        Set<Integer> set = new HashSet<>();
        for (int n : nodes) {
            set.add(n);
        }
        return set;
    }

    private static List<Plan.GoalFigure> figures(List<GoalRule> rules, double[] before) {
        List<Plan.GoalFigure> figures = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            GoalRule rule = rules.get(i);
            figures.add(new Plan.GoalFigure(rule.goal.id(), rule.hard, before[i], rule.figure(), rule.satisfied()));
        }
        return figures;
    }

    private static Plan infeasible(Cluster cluster, Plan.Trigger trigger, List<GoalRule> rules, double[] before,
                                   boolean[] metBefore, GoalRule rule, String why) {
        // an infeasible plan moves nothing: every figure after is the one before
        List<Plan.GoalFigure> figures = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            GoalRule r = rules.get(i);
            figures.add(new Plan.GoalFigure(r.goal.id(), r.hard, before[i], before[i], metBefore[i]));
        }
        return new Plan(cluster.id(), Plan.Status.INFEASIBLE, trigger, List.of(), List.of(), figures, rule.goal.id(),
                rule.goal.id() + " cannot be met: " + why);
    }

    private static Plan.Trigger triggerOf(GoalRule unmet, Placement p) {
        return switch (unmet.goal) {
            case DRAIN -> {
                boolean left = false;
                for (int n = 0; n < p.nodes(); n++) {
                    left |= p.state[n] == NodeState.LEFT && p.replicas[n] > 0;
                }
                yield left ? Plan.Trigger.NODE_LEFT : Plan.Trigger.NODE_DRAINING;
            }
            case RACK_AWARE -> Plan.Trigger.RACK_AWARENESS;
            case CAPACITY -> Plan.Trigger.OVER_CAPACITY;
            default -> {
                boolean joining = false;
                for (int n = 0; n < p.nodes(); n++) {
                    joining |= p.fresh[n];
                }
                yield joining ? Plan.Trigger.NODE_JOINED : Plan.Trigger.SPREAD;
            }
        };
    }
}

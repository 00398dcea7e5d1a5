package io.ballast.jobs.invalidate;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ballast.invalidate.ClosureStep;
import io.ballast.invalidate.EdgeChange;
import io.ballast.invalidate.Invalidation;
import io.ballast.invalidate.Visit;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by graph node: keeps the node's dependents (MapState in RocksDB) and, per entity, the highest
 * version a closure visited it for (MapState with a TTL). Edge changes update the dependents; a visit runs
 * {@link ClosureStep}. The visits it gives of nodes this instance owns (their key group is in its range) are
 * taken here and now, each under its own key; those of nodes another instance owns go to the feedback topic
 * ({@link #NEXT}), which brings each to its owner. The invalidations of the nodes taken together go out as one
 * ({@link Invalidation#combine}). At parallelism 1 a closure never leaves the operator and is one record; a hop
 * through the topic cost a produce, a fetch and a network exchange, a record per node a produce and a script
 * call in Redis.
 *
 * <p>An operator, not a {@code KeyedProcessFunction}: taking a visit of another node means switching the
 * current key, which only an operator may do.
 */
public final class GraphOperator extends AbstractStreamOperator<Invalidation> implements OneInputStreamOperator<GraphInput, Invalidation> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<Visit> NEXT = new OutputTag<>("next-visits", ClosureTypes.visit());
    /** How many nodes' dependents, and how many (node, entity) visited versions, one instance keeps in memory besides RocksDB. */
    static final int CACHED_ENTRIES = 100_000;
    /**
     * The most keys and tags one invalidation names when the nodes a visit reached here are combined into one: a record
     * of 1,000 names of 100 characters is ~110 KB, well under Kafka's default 1 MB, and one script call in Redis.
     */
    static final int MAX_NAMES_PER_INVALIDATION = 1_000;
    private final Duration visitedTtl;
    private final int pendingWriteAt;
    private transient MapState<String, Boolean> dependents;
    /**
     * The dependents of the nodes this instance owns, read through from {@link #dependents} (least recently visited
     * first out): a RocksDB iterator per visit, most of them over nodes with no dependents, was a fifth of the job's
     * task time. Only this operator writes a node's dependents, so an edge change drops the node's entry and it stays
     * true to the state; rebuilt from the state after a restore.
     */
    private transient Map<String, List<String>> cachedDependents;
    private transient MapState<String, Long> visited;
    /**
     * The versions taken, by node and entity, in memory in front of {@link #pendingVisits} and {@link #visited} (a
     * RocksDB read per visit was a sixth of the task time). It may remember a version past the state's TTL; that only
     * stops a visit the node already took, which is what the version is for.
     */
    private transient Map<String, Long> cachedVisits;
    /**
     * The versions taken since the last checkpoint, by node and entity, not yet in {@link #visited}: written to it before
     * each checkpoint's barrier ({@link #prepareSnapshotPreBarrier}), or when they grow past {@link #CACHED_ENTRIES}
     * (so that memory stays bounded between checkpoints).
     * A RocksDB put per visit was a third of the task's time; a node visited again for the same entity between two
     * checkpoints (a hot entity) is written once. What a checkpoint holds is the same: every visit taken before its barrier.
     */
    private transient Map<String, Map<String, Long>> pendingVisits;
    private transient int pendingCount;
    private transient Counter stopped;
    private transient Counter takenHere;

    public GraphOperator(Duration visitedTtl) {
        this(visitedTtl, CACHED_ENTRIES);
    }

    /** With the number of pending visited versions past which they are written before the next checkpoint (tests). */
    GraphOperator(Duration visitedTtl, int pendingWriteAt) {
        this.visitedTtl = visitedTtl;
        this.pendingWriteAt = pendingWriteAt;
    }

    @Override
    public void open() throws Exception {
        super.open();
        dependents = getRuntimeContext().getMapState(new MapStateDescriptor<>("dependents", Types.STRING, Types.BOOLEAN));
        MapStateDescriptor<String, Long> visitedDescriptor = new MapStateDescriptor<>("visited", Types.STRING, Types.LONG);
        visitedDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(visitedTtl).cleanupInRocksdbCompactFilter(1000).build());
        visited = getRuntimeContext().getMapState(visitedDescriptor);
        stopped = getMetricGroup().counter("visitsStopped");
        takenHere = getMetricGroup().counter("visitsTakenWithoutAHop");
        cachedDependents = leastRecentlyUsedFirstOut();
        cachedVisits = leastRecentlyUsedFirstOut();
        pendingVisits = new HashMap<>();
        // Until 2026-12-07 the graph was a KeyedProcessFunction, whose operator had a timer service, never used. A
        // checkpoint of that version (`up` resumes from its last one after an upgrade) restores it, and Flink cannot
        // checkpoint a restored timer service nobody asked for again (a NullPointerException, the job restarting for
        // ever): asking for it under its name keeps those checkpoints working. It never holds a timer.
        getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, new NoTimers());
    }

    /** What the timer service kept for old checkpoints would call: it holds no timer. */
    private static final class NoTimers implements Triggerable<String, VoidNamespace> {
        @Override
        public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
        }

        @Override
        public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        }
    }

    private static <V> Map<String, V> leastRecentlyUsedFirstOut() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHED_ENTRIES;
            }
        };
    }

    @Override
    public void processElement(StreamRecord<GraphInput> element) throws Exception {
        GraphInput input = element.getValue();
        if (input.edge() != null) {
            apply(input.edge());
            return;
        }
        Object key = getCurrentKey();
        Deque<Visit> here = new ArrayDeque<>();
        here.add(input.visit());
        List<Invalidation> given = new ArrayList<>();
        try {
            while (!here.isEmpty()) {
                Visit visit = here.poll();
                String node = visit.node().id();
                if (!node.equals(getCurrentKey())) {
                    setCurrentKey(node);
                    takenHere.inc();
                }
                take(node, visit, element, here, given);
            }
        } finally {
            setCurrentKey(key);
        }
        for (Invalidation invalidation : Invalidation.combine(given, MAX_NAMES_PER_INVALIDATION)) {
            output.collect(element.replace(invalidation));
        }
        if (pendingCount > pendingWriteAt) {
            writePendingVisits();
            setCurrentKey(key);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        writePendingVisits();
    }

    /** Writes the versions taken since the last write into {@link #visited}, node by node, each under the node's key. */
    private void writePendingVisits() throws Exception {
        for (Map.Entry<String, Map<String, Long>> node : pendingVisits.entrySet()) {
            setCurrentKey(node.getKey());
            visited.putAll(node.getValue());
        }
        pendingVisits.clear();
        pendingCount = 0;
    }

    private void apply(EdgeChange edge) throws Exception {
        if (edge.added()) {
            dependents.put(edge.dependent(), Boolean.TRUE);
        } else {
            dependents.remove(edge.dependent());
        }
        cachedDependents.remove((String) getCurrentKey());
    }

    /**
     * One node's step of the closure, under the node's key: its invalidation joins {@code given}, its next visits of nodes
     * owned here join {@code here}, the others go to the feedback topic.
     */
    private void take(String node, Visit visit, StreamRecord<GraphInput> element, Deque<Visit> here, List<Invalidation> given)
            throws Exception {
        String visitKey = node + '\u0000' + visit.entity();
        Long visitedVersion = cachedVisits.get(visitKey);
        if (visitedVersion == null) {
            Map<String, Long> pending = pendingVisits.get(node);
            visitedVersion = pending != null ? pending.get(visit.entity()) : null;
        }
        if (visitedVersion == null) {
            visitedVersion = visited.get(visit.entity());
        }
        ClosureStep.Result result = ClosureStep.visit(visit, visitedVersion, dependentsOf(node));
        if (!result.fresh()) {
            stopped.inc();
            return;
        }
        if (pendingVisits.computeIfAbsent(node, n -> new HashMap<>()).put(visit.entity(), visit.version()) == null) {
            pendingCount++;
        }
        cachedVisits.put(visitKey, visit.version());
        result.invalidation().ifPresent(given::add);
        for (Visit next : result.next()) {
            if (ownedHere(next.node().id())) {
                here.add(next);
            } else {
                output.collect(NEXT, new StreamRecord<>(next, element.getTimestamp()));
            }
        }
    }

    private boolean ownedHere(String node) {
        TaskInfo task = getRuntimeContext().getTaskInfo();
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(node, task.getMaxNumberOfParallelSubtasks(),
                task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask();
    }

    private List<String> dependentsOf(String node) throws Exception {
        List<String> keys = cachedDependents.get(node);
        if (keys == null) {
            keys = new ArrayList<>();
            for (String key : dependents.keys()) {
                keys.add(key);
            }
            keys = List.copyOf(keys);
            cachedDependents.put(node, keys);
        }
        return keys;
    }
}

package io.ballast.jobs.invalidate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ballast.invalidate.ClosureStep;
import io.ballast.invalidate.EdgeChange;
import io.ballast.invalidate.Invalidation;
import io.ballast.invalidate.Visit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by graph node: keeps the node's dependents (MapState in RocksDB) and, per entity, the highest
 * version a closure visited it for (MapState with a TTL). Edge changes update the dependents; a visit runs
 * {@link ClosureStep}: the invalidation it gives goes out, the visits of the next nodes go to the
 * feedback topic, which brings each back to the instance that owns that node.
 */
public final class GraphFunction extends KeyedProcessFunction<String, GraphInput, Invalidation> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<Visit> NEXT = new OutputTag<>("next-visits", ClosureTypes.visit());
    private final Duration visitedTtl;
    /** How many nodes' dependents, and how many (node, entity) visited versions, one instance keeps in memory besides RocksDB. */
    static final int CACHED_ENTRIES = 100_000;
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
     * The versions {@link #visited} holds, by node and entity, written through and read through (a RocksDB read per
     * visit was a sixth of the task time). It may remember a version past the state's TTL; that only stops a visit the
     * node already took, which is what the version is for.
     */
    private transient Map<String, Long> cachedVisits;
    private transient Counter stopped;

    public GraphFunction(Duration visitedTtl) {
        this.visitedTtl = visitedTtl;
    }

    @Override
    public void open(OpenContext context) {
        dependents = getRuntimeContext().getMapState(new MapStateDescriptor<>("dependents", Types.STRING, Types.BOOLEAN));
        MapStateDescriptor<String, Long> visitedDescriptor = new MapStateDescriptor<>("visited", Types.STRING, Types.LONG);
        visitedDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(visitedTtl).cleanupInRocksdbCompactFilter(1000).build());
        visited = getRuntimeContext().getMapState(visitedDescriptor);
        stopped = getRuntimeContext().getMetricGroup().counter("visitsStopped");
        cachedDependents = leastRecentlyUsedFirstOut();
        cachedVisits = leastRecentlyUsedFirstOut();
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
    public void processElement(GraphInput input, Context ctx, Collector<Invalidation> out) throws Exception {
        if (input.edge() != null) {
            EdgeChange edge = input.edge();
            if (edge.added()) {
                dependents.put(edge.dependent(), Boolean.TRUE);
            } else {
                dependents.remove(edge.dependent());
            }
            cachedDependents.remove(ctx.getCurrentKey());
            return;
        }
        Visit visit = input.visit();
        String visitKey = ctx.getCurrentKey() + '\u0000' + visit.entity();
        Long visitedVersion = cachedVisits.get(visitKey);
        if (visitedVersion == null) {
            visitedVersion = visited.get(visit.entity());
        }
        ClosureStep.Result result = ClosureStep.visit(visit, visitedVersion, dependentsOf(ctx.getCurrentKey()));
        if (!result.fresh()) {
            stopped.inc();
            return;
        }
        visited.put(visit.entity(), visit.version());
        cachedVisits.put(visitKey, visit.version());
        result.invalidation().ifPresent(out::collect);
        result.next().forEach(next -> ctx.output(NEXT, next));
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

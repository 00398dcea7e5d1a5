package io.ballast.jobs.invalidate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    private transient MapState<String, Boolean> dependents;
    private transient MapState<String, Long> visited;
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
            return;
        }
        Visit visit = input.visit();
        List<String> keys = new ArrayList<>();
        for (String key : dependents.keys()) {
            keys.add(key);
        }
        ClosureStep.Result result = ClosureStep.visit(visit, visited.get(visit.entity()), keys);
        if (!result.fresh()) {
            stopped.inc();
            return;
        }
        visited.put(visit.entity(), visit.version());
        result.invalidation().ifPresent(out::collect);
        result.next().forEach(next -> ctx.output(NEXT, next));
    }
}

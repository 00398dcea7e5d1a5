package io.ballast.bench.micro;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.ballast.invalidate.DependencyGraph;
import io.ballast.invalidate.Invalidation;
import io.ballast.invalidate.Node;
import io.ballast.invalidate.Registration;
import io.ballast.invalidate.Visit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The invalidator's closure in one thread ({@link DependencyGraph}, the job's {@code ClosureStep}): a change of an
 * entity that {@code fanOut} keys depend on, each of which two more keys depend on (a view and a page over each). Every
 * call is a new version of the entity, so every visit is fresh: the work the job does per change, without Flink.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DependencyClosureBenchmark {
    @Param({"10", "100"})
    int fanOut;

    private DependencyGraph graph;
    private long version;

    @Setup
    public void setUp() {
        graph = new DependencyGraph();
        for (int k = 0; k < fanOut; k++) {
            String key = "entity:1:part-" + k;
            graph.register(new Registration(key, Set.of(Node.entity("entity:1")), Registration.NEVER));
            graph.register(new Registration("view:" + k, Set.of(Node.key(key)), Registration.NEVER));
            graph.register(new Registration("page:" + k, Set.of(Node.key(key)), Registration.NEVER));
        }
    }

    @Benchmark
    public List<Invalidation> close() {
        version++;
        return graph.close(new Visit(Node.entity("entity:1"), "entity:1", version, version, new ArrayList<>()));
    }
}

package io.ballast.rebalance;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A shard and where its replicas live.
 *
 * @param sizeBytes bytes on disk of each replica: what a move copies, and the {@code disk} load
 * @param load      load of each replica per resource (cpu, qps, network...)
 */
public record Shard(String id, List<Replica> replicas, long sizeBytes, Map<String, Double> load) {
    public Shard {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
        load = load == null ? Map.of() : new TreeMap<>(load);
    }

    /** The load of one replica on a resource; {@code disk} is the size. */
    public double load(String resource) {
        return Resources.DISK.equals(resource) ? sizeBytes : load.getOrDefault(resource, 0.0);
    }
}

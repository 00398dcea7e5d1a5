package io.ballast.rebalance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 of what the planner was given (nodes and shards, sorted, with the moves in flight applied), in a
 * canonical text: a plan records it, so that an audit knows whether it rebuilt the very model the plan was made on.
 */
public final class ClusterDigest {
    private ClusterDigest() {
    }

    public static String of(Cluster cluster) {
        StringBuilder text = new StringBuilder("cluster ").append(cluster.id()).append('\n');
        cluster.nodes().stream().sorted(Comparator.comparing(Node::id)).forEach(n -> text.append("node ").append(n.id()).append(' ')
                .append(n.rack()).append(' ').append(n.state()).append(' ').append(sorted(n.capacity())).append('\n'));
        cluster.shards().stream().sorted(Comparator.comparing(Shard::id)).forEach(s -> {
            text.append("shard ").append(s.id()).append(' ').append(s.sizeBytes()).append(' ').append(sorted(s.load()));
            s.replicas().forEach(r -> text.append(' ').append(r.node()).append(r.leader() ? "*" : ""));
            text.append('\n');
        });
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String sorted(Map<String, Double> values) {
        StringBuilder out = new StringBuilder("{");
        // doubles as their exact bits in hex: a digest must not depend on how a number is printed
        new TreeMap<>(values).forEach((k, v) -> out.append(k).append('=').append(Double.toHexString(v)).append(';'));
        return out.append('}').toString();
    }
}

package io.ballast.views.app;

import java.util.function.Function;

import io.ballast.events.NodeMembership;
import io.ballast.events.RebalancePlan;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingDecision;
import io.ballast.events.ScalingPolicy;
import io.ballast.events.ShardLoad;
import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventDecoder;
import io.ballast.streams.JsonSerde;
import io.ballast.views.ClusterView;
import io.ballast.views.ServiceView;
import io.ballast.views.ViewUpdate;
import io.ballast.views.ViewUpdate.Part;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The current-state views: policies, replica status and decisions fold into one {@link ServiceView} per
 * service; node membership, shard loads and plans into one {@link ClusterView} per cluster. Both live in
 * RocksDB key-value stores that {@link ViewServer} queries. Inputs are re-keyed by service or cluster
 * (nodes are keyed by cluster/node on their topic), so each view sits in one partition.
 */
public final class ViewsTopology {
    public static final String APP = "ballast-views";
    public static final String SERVICES = "service-views";
    public static final String CLUSTERS = "cluster-views";

    private ViewsTopology() {
    }

    public static Topology build(ViewsSettings topics, RegistryClient registry) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Routed> services = read(builder, topics.policies(), registry, ScalingPolicy.class,
                p -> target(p.getService(), Part.POLICY, null, p, p.getEnvelope().getOccurredAt().toEpochMilli()))
                .merge(read(builder, topics.replicas(), registry, ReplicaStatus.class,
                        r -> target(r.getService(), Part.REPLICAS, null, r, r.getEnvelope().getOccurredAt().toEpochMilli())))
                .merge(read(builder, topics.decisions(), registry, ScalingDecision.class,
                        d -> target(d.getService(), Part.DECISION, null, d, d.getEvaluatedAt().toEpochMilli())));
        KStream<String, Routed> clusters = read(builder, topics.nodes(), registry, NodeMembership.class,
                n -> target(n.getCluster(), Part.NODE, n.getNode(), n, n.getEnvelope().getOccurredAt().toEpochMilli()))
                .merge(read(builder, topics.shards(), registry, ShardLoad.class,
                        s -> target(s.getCluster(), Part.SHARD, s.getShard(), s, s.getEnvelope().getOccurredAt().toEpochMilli())))
                .merge(read(builder, topics.plans(), registry, RebalancePlan.class,
                        p -> target(p.getCluster(), Part.PLAN, null, p, p.getEnvelope().getOccurredAt().toEpochMilli())));

        live(services, "services", topics).groupByKey(Grouped.with("service-updates", Serdes.String(), JsonSerde.of(ViewUpdate.class)))
                .aggregate(() -> ServiceView.empty(null),
                        (service, update, view) -> (view.service() == null ? ServiceView.empty(service) : view).apply(update),
                        Named.as("fold-services"),
                        Materialized.<String, ServiceView, KeyValueStore<Bytes, byte[]>>as(SERVICES)
                                .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(ServiceView.class)));
        live(clusters, "clusters", topics).groupByKey(Grouped.with("cluster-updates", Serdes.String(), JsonSerde.of(ViewUpdate.class)))
                .aggregate(() -> ClusterView.empty(null),
                        (cluster, update, view) -> (view.cluster() == null ? ClusterView.empty(cluster) : view).apply(update),
                        Named.as("fold-clusters"),
                        Materialized.<String, ClusterView, KeyValueStore<Bytes, byte[]>>as(CLUSTERS)
                                .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(ClusterView.class)));
        return builder.build();
    }

    /** The updates of a merged stream; its dead letters go to the dead-letter topic. */
    private static KStream<String, ViewUpdate> live(KStream<String, Routed> routed, String name, ViewsSettings topics) {
        return routed.split(Named.as(name + "-"))
                .branch((key, r) -> r.isDead(), Branched.withConsumer(dead -> dead.mapValues(Routed::raw)
                        .to(topics.deadLetters(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName(name + "-dead-letters"))))
                .defaultBranch(Branched.withFunction(ok -> ok, "live"))
                .get(name + "-live")
                .mapValues(Routed::update, Named.as(name + "-updates"));
    }

    private static <T extends SpecificRecord> KStream<String, Routed> read(StreamsBuilder builder, String topic, RegistryClient registry,
                                                                           Class<T> type, Function<T, ViewDecoder.Target> target) {
        EventDecoder<T> decoder = EventDecoder.specific(registry, type);
        return builder.stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("read-" + topic))
                .process(() -> new ViewDecoder<>(decoder, target), Named.as("decode-" + topic));
    }

    private static ViewDecoder.Target target(String key, Part part, String member, SpecificRecord event, long at) {
        return new ViewDecoder.Target(key, ViewDecoder.update(part, member, event, at));
    }
}

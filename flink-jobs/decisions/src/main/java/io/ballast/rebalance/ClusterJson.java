package io.ballast.rebalance;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON forms of a cluster model and of a goals document, as {@code ballast rebalance plan} reads them
 * and the rebalancer job keeps them. Strict: unknown fields, wrong types and missing required fields
 * are refused with the path of the offending entry.
 */
public final class ClusterJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ClusterJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private record ClusterForm(String cluster, List<NodeForm> nodes, List<ShardForm> shards) {
    }

    private record NodeForm(String id, String rack, NodeState state, Map<String, Double> capacity) {
    }

    private record ReplicaForm(String node, Boolean leader) {
    }

    private record ShardForm(String id, List<ReplicaForm> replicas, Long sizeBytes, Map<String, Double> load) {
    }

    private record GoalsForm(List<GoalEntry> goals, Double capacityThreshold, Double balanceTrigger, Double balanceTarget,
                             Integer maxConcurrentMovesPerNode, Long maxBytesPerPhase) {
    }

    private record GoalEntry(String name, Boolean hard) {
    }

    /** Reads and validates a cluster document; every problem is reported at once. */
    public static Cluster readCluster(InputStream in) throws IOException {
        ClusterForm form = read(in, ClusterForm.class);
        List<String> problems = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        List<NodeForm> nodeForms = form.nodes() == null ? List.of() : form.nodes();
        if (form.nodes() == null) {
            problems.add("nodes: missing; a cluster lists its nodes");
        }
        for (int i = 0; i < nodeForms.size(); i++) {
            NodeForm n = nodeForms.get(i);
            if (n == null) {
                problems.add("nodes[" + i + "]: null; a node is an object with id, rack, state and capacity");
                continue;
            }
            nodes.add(new Node(n.id(), n.rack(), n.state(), n.capacity()));
        }
        List<Shard> shards = new ArrayList<>();
        List<ShardForm> shardForms = form.shards() == null ? List.of() : form.shards();
        for (int i = 0; i < shardForms.size(); i++) {
            ShardForm s = shardForms.get(i);
            if (s == null) {
                problems.add("shards[" + i + "]: null; a shard is an object with id, sizeBytes, replicas and load");
                continue;
            }
            String at = "shards[" + i + "]" + (s.id() == null ? "" : " (" + s.id() + ")");
            if (s.sizeBytes() == null) {
                problems.add(at + ": sizeBytes is missing");
            }
            List<Replica> replicas = new ArrayList<>();
            List<ReplicaForm> replicaForms = s.replicas() == null ? List.of() : s.replicas();
            for (int j = 0; j < replicaForms.size(); j++) {
                ReplicaForm r = replicaForms.get(j);
                if (r == null) {
                    problems.add(at + ": replicas[" + j + "] is null; a replica is an object with node and leader");
                    continue;
                }
                replicas.add(new Replica(r.node(), Boolean.TRUE.equals(r.leader())));
            }
            shards.add(new Shard(s.id(), replicas, s.sizeBytes() == null ? 0 : s.sizeBytes(), s.load()));
        }
        Cluster cluster = new Cluster(form.cluster(), nodes, shards);
        problems.addAll(ClusterValidation.problems(cluster));
        if (!problems.isEmpty()) {
            throw new InvalidClusterException(problems);
        }
        return cluster;
    }

    /** Reads a goals document; what it leaves out keeps its default. */
    public static PlannerSettings readGoals(InputStream in) throws IOException {
        GoalsForm form = read(in, GoalsForm.class);
        PlannerSettings d = PlannerSettings.DEFAULTS;
        List<PlannerSettings.GoalSpec> goals = d.goals();
        if (form.goals() != null) {
            List<String> problems = new ArrayList<>();
            goals = new ArrayList<>();
            for (int i = 0; i < form.goals().size(); i++) {
                GoalEntry entry = form.goals().get(i);
                var goal = entry.name() == null ? java.util.Optional.<Goal>empty() : Goal.byId(entry.name());
                if (goal.isEmpty()) {
                    problems.add("goals[" + i + "].name: unknown goal '" + entry.name() + "'; known goals: " + Goal.known());
                } else {
                    goals.add(new PlannerSettings.GoalSpec(goal.get(), entry.hard() == null
                            ? defaultHardness(goal.get()) : entry.hard()));
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidClusterException(problems);
            }
        }
        return new PlannerSettings(goals,
                form.capacityThreshold() == null ? d.capacityThreshold() : form.capacityThreshold(),
                form.balanceTrigger() == null ? d.balanceTrigger() : form.balanceTrigger(),
                form.balanceTarget() == null ? d.balanceTarget() : form.balanceTarget(),
                form.maxConcurrentMovesPerNode() == null ? d.maxConcurrentMovesPerNode() : form.maxConcurrentMovesPerNode(),
                form.maxBytesPerPhase() == null ? d.maxBytesPerPhase() : form.maxBytesPerPhase());
    }

    private static boolean defaultHardness(Goal goal) {
        return PlannerSettings.DEFAULTS.goals().stream().filter(g -> g.goal() == goal).findFirst().orElseThrow().hard();
    }

    private static <T> T read(InputStream in, Class<T> type) throws IOException {
        try {
            T value = MAPPER.readValue(in, type);
            if (value == null) {
                throw new InvalidClusterException(List.of("the document is empty; expected a JSON object"));
            }
            return value;
        } catch (JsonMappingException e) {
            String path = e.getPath().stream().map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce("", String::concat);
            throw new InvalidClusterException(List.of((path.isEmpty() ? "document" : path.substring(path.startsWith(".") ? 1 : 0))
                    + ": " + e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new InvalidClusterException(List.of("not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }
}

package io.ballast.jobs.state;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.ballast.autoscale.DecisionState;
import io.ballast.autoscale.DecisionState.Instance;
import io.ballast.autoscale.DecisionState.Recommendation;
import io.ballast.autoscale.DecisionState.Replicas;
import io.ballast.autoscale.DecisionState.ScaleEvent;
import io.ballast.autoscale.DecisionState.Series;
import io.ballast.autoscale.Policy;
import io.ballast.autoscale.StateJson;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A service's {@link DecisionState} in binary, field by field: it is read and written at every
 * evaluation of every service, and JSON parsing cost most of the job's time. The policy, nested and
 * rarely changed, is kept in its compact JSON form and parsed once per distinct text. Every record
 * starts with a format version, so a later format can still read this one.
 */
public final class DecisionStateSerializer extends ImmutableRecordSerializer<DecisionState> {
    private static final long serialVersionUID = 1L;
    public static final DecisionStateSerializer INSTANCE = new DecisionStateSerializer();
    /** 3 adds the headroom extension's memory, 2 the replica status's instance list; 1 and 2 still read. */
    private static final byte FORMAT = 3;
    private static final byte FORMAT_WITH_LISTS = 2;
    private static final byte FORMAT_WITHOUT_LISTS = 1;
    private static final int POLICY_CACHE_LIMIT = 10_000;
    private static final Map<String, Policy> POLICIES = new ConcurrentHashMap<>();
    private static final Map<Policy, byte[]> POLICY_BYTES = new ConcurrentHashMap<>();

    @Override
    public void serialize(DecisionState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        out.writeUTF(s.service());
        out.writeBoolean(s.policy() != null);
        if (s.policy() != null) {
            if (POLICY_BYTES.size() >= POLICY_CACHE_LIMIT) {
                POLICY_BYTES.clear();
            }
            byte[] json = POLICY_BYTES.computeIfAbsent(s.policy(), DecisionStateSerializer::policyJson);
            out.writeInt(json.length);
            out.write(json);
        }
        out.writeBoolean(s.replicas() != null);
        if (s.replicas() != null) {
            Replicas r = s.replicas();
            out.writeInt(r.spec());
            out.writeInt(r.status());
            out.writeInt(r.ready());
            writeInstant(r.lastScaleTime(), out);
            writeInstant(r.at(), out);
            out.writeBoolean(r.instances() != null);
            if (r.instances() != null) {
                writeNames(r.instances(), out);
            }
        }
        out.writeInt(s.instances().size());
        for (Instance i : s.instances().values()) {
            writeInstance(i, out);
        }
        out.writeInt(s.recommendations().size());
        for (Recommendation r : s.recommendations()) {
            out.writeLong(r.at().toEpochMilli());
            out.writeInt(r.replicas());
        }
        out.writeInt(s.scaleEvents().size());
        for (ScaleEvent e : s.scaleEvents()) {
            writeEvent(e, out);
        }
        writeInstant(s.lastActiveAt(), out);
        out.writeBoolean(s.lastScale() != null);
        if (s.lastScale() != null) {
            writeEvent(s.lastScale(), out);
        }
        out.writeBoolean(s.headroom() != null);
        if (s.headroom() != null) {
            DecisionState.Headroom h = s.headroom();
            out.writeInt(h.recent().size());
            for (DecisionState.Used u : h.recent()) {
                out.writeLong(u.at().toEpochMilli());
                out.writeDouble(u.requests());
            }
            out.writeDouble(h.rise());
            out.writeDouble(h.need());
            out.writeLong(h.startupMillis());
        }
    }

    @Override
    public DecisionState deserialize(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format < FORMAT_WITHOUT_LISTS || format > FORMAT) {
            throw new IOException("decision state format " + format + " is not one this version reads (" + FORMAT_WITHOUT_LISTS
                    + " to " + FORMAT + ")");
        }
        String service = in.readUTF();
        Policy policy = in.readBoolean() ? policy(in) : null;
        Replicas replicas = in.readBoolean() ? new Replicas(in.readInt(), in.readInt(), in.readInt(), readInstant(in), readInstant(in),
                format >= FORMAT_WITH_LISTS && in.readBoolean() ? readNames(in) : null) : null;
        Map<String, Instance> instances = new TreeMap<>();
        for (int n = in.readInt(); n > 0; n--) {
            Instance i = readInstance(in);
            instances.put(i.name(), i);
        }
        List<Recommendation> recommendations = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            recommendations.add(new Recommendation(Instant.ofEpochMilli(in.readLong()), in.readInt()));
        }
        List<ScaleEvent> events = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            events.add(readEvent(in));
        }
        Instant lastActiveAt = readInstant(in);
        ScaleEvent lastScale = in.readBoolean() ? readEvent(in) : null;
        DecisionState.Headroom headroom = null;
        if (format == FORMAT && in.readBoolean()) {
            List<DecisionState.Used> recent = new ArrayList<>();
            for (int n = in.readInt(); n > 0; n--) {
                recent.add(new DecisionState.Used(Instant.ofEpochMilli(in.readLong()), in.readDouble()));
            }
            headroom = new DecisionState.Headroom(recent, in.readDouble(), in.readDouble(), in.readLong());
        }
        return new DecisionState(service, policy, replicas, instances, recommendations, events, lastActiveAt, lastScale, headroom);
    }

    @Override
    public TypeSerializerSnapshot<DecisionState> snapshotConfiguration() {
        return new Snapshot();
    }

    private static Policy policy(DataInputView in) throws IOException {
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        Policy cached = POLICIES.get(text);
        if (cached != null) {
            return cached;
        }
        Policy policy = StateJson.compactMapper().readValue(json, Policy.class);
        if (POLICIES.size() >= POLICY_CACHE_LIMIT) {
            POLICIES.clear();
        }
        POLICIES.put(text, policy);
        return policy;
    }

    private static byte[] policyJson(Policy policy) {
        try {
            return StateJson.compactMapper().writeValueAsBytes(policy);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a policy could not be written as JSON: " + policy, e);
        }
    }

    private static void writeInstance(Instance i, DataOutputView out) throws IOException {
        out.writeUTF(i.name());
        out.writeUTF(i.phase().name());
        out.writeBoolean(i.ready());
        out.writeBoolean(i.deleted());
        writeInstant(i.startedAt(), out);
        writeInstant(i.readinessChangedAt(), out);
        out.writeLong(i.lastSeen().toEpochMilli());
        out.writeInt(i.series().size());
        for (Map.Entry<String, Series> e : i.series().entrySet()) {
            Series s = e.getValue();
            out.writeUTF(e.getKey());
            out.writeUTF(s.kind().name());
            out.writeUTF(s.unit());
            out.writeLong(s.at().toEpochMilli());
            out.writeDouble(s.value());
            writeInstant(s.previousAt(), out);
            writeDouble(s.previousValue(), out);
            writeDouble(s.request(), out);
        }
    }

    private static Instance readInstance(DataInputView in) throws IOException {
        String name = in.readUTF();
        InstancePhase phase = InstancePhase.valueOf(in.readUTF());
        boolean ready = in.readBoolean();
        boolean deleted = in.readBoolean();
        Instant startedAt = readInstant(in);
        Instant readinessChangedAt = readInstant(in);
        Instant lastSeen = Instant.ofEpochMilli(in.readLong());
        Map<String, Series> series = new TreeMap<>();
        for (int n = in.readInt(); n > 0; n--) {
            String metric = in.readUTF();
            series.put(metric, new Series(MetricKind.valueOf(in.readUTF()), in.readUTF(), Instant.ofEpochMilli(in.readLong()),
                    in.readDouble(), readInstant(in), readDouble(in), readDouble(in)));
        }
        return new Instance(name, phase, ready, deleted, startedAt, readinessChangedAt, lastSeen, series);
    }

    private static void writeEvent(ScaleEvent e, DataOutputView out) throws IOException {
        out.writeLong(e.at().toEpochMilli());
        out.writeInt(e.from());
        out.writeInt(e.to());
    }

    private static ScaleEvent readEvent(DataInputView in) throws IOException {
        return new ScaleEvent(Instant.ofEpochMilli(in.readLong()), in.readInt(), in.readInt());
    }

    /** Restores this serializer; the format version travels in every record. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DecisionState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}

package io.ballast.jobs.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.ballast.autoscale.DecisionState;
import io.ballast.autoscale.StateJson;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The documented example state and the empty state read back equal from the binary form. */
class DecisionStateSerializerTest {

    @Test
    void statesRoundTrip() throws Exception {
        DecisionState example = StateJson.readRequest(Files.readString(Path.of("..", "..", "examples", "autoscale", "state.json"))).state();
        DecisionState.Replicas r = example.replicas();
        DecisionState listed = new DecisionState(example.service(), example.policy(),
                new DecisionState.Replicas(r.spec(), r.status(), r.ready(), r.lastScaleTime(), r.at(), List.of("checkout-a", "checkout-b")),
                example.instances(), example.recommendations(), example.scaleEvents(), example.lastActiveAt(), example.lastScale());
        DecisionState remembering = new DecisionState(example.service(), example.policy(), example.replicas(), example.instances(),
                example.recommendations(), example.scaleEvents(), example.lastActiveAt(), example.lastScale(), new DecisionState.Headroom(
                        List.of(new DecisionState.Used(java.time.Instant.parse("2026-01-01T00:02:45Z"), 3.5),
                                new DecisionState.Used(java.time.Instant.parse("2026-01-01T00:03:00Z"), 4.25)), 0.75, 6.5, 60_000));
        for (DecisionState state : List.of(example, listed, remembering, DecisionState.empty("checkout"))) {
            DataOutputSerializer out = new DataOutputSerializer(512);
            DecisionStateSerializer.INSTANCE.serialize(state, out);
            assertEquals(state, DecisionStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
        }
    }

    /** A state written before replica statuses listed instances and before the headroom (format 1) still reads. */
    @Test
    void aStateOfTheFormatBeforeInstanceListsReads() throws Exception {
        DecisionState example = StateJson.readRequest(Files.readString(Path.of("..", "..", "examples", "autoscale", "state.json"))).state();
        DataOutputSerializer out = new DataOutputSerializer(512);
        DecisionStateSerializer.INSTANCE.serialize(example, out);
        byte[] current = out.getCopyOfBuffer();
        // format 1 is format 2 without the one "no list" byte after the status's time: find it by writing the status alone
        DataOutputSerializer head = new DataOutputSerializer(512);
        DecisionStateSerializer.INSTANCE.serialize(new DecisionState(example.service(), example.policy(), example.replicas(), java.util.Map.of(),
                List.of(), List.of(), null, null), head);
        // instances, recommendations, events counts; lastActiveAt, lastScale, headroom flags
        int listFlag = head.length() - 4 - 4 - 4 - 1 - 1 - 1 - 1;
        // format 1 has neither the list flag nor, at the end, the headroom flag
        byte[] old = new byte[current.length - 2];
        assertEquals(0, current[listFlag], "the status's 'no list' byte");
        assertEquals(0, current[current.length - 1], "the 'no headroom' byte");
        System.arraycopy(current, 0, old, 0, listFlag);
        System.arraycopy(current, listFlag + 1, old, listFlag, current.length - listFlag - 2);
        old[0] = 1;
        assertEquals(example, DecisionStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(old)));
    }
}

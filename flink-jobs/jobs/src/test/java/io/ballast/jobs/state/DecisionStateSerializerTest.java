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
        for (DecisionState state : List.of(example, DecisionState.empty("checkout"))) {
            DataOutputSerializer out = new DataOutputSerializer(512);
            DecisionStateSerializer.INSTANCE.serialize(state, out);
            assertEquals(state, DecisionStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
        }
    }
}

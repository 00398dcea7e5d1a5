package io.ballast.jobs.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import io.ballast.autoscale.Input;
import io.ballast.autoscale.Policy;
import io.ballast.events.InstancePhase;
import io.ballast.events.MetricKind;
import io.ballast.events.MetricSourceType;
import io.ballast.events.TargetType;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Every kind of input, with and without its optional fields, reads back equal; copy between views keeps the bytes. */
class InputSerializerTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:15Z");

    @Test
    void everyInputKindRoundTrips() throws Exception {
        List<Input> inputs = List.of(
                new Input.Sample(AT, "checkout", "checkout-a", "cpu", MetricKind.GAUGE, 0.42, "cores", InstancePhase.RUNNING, true,
                        false, AT.minusSeconds(600), AT.minusSeconds(590), 0.5),
                new Input.Sample(AT, "checkout", "checkout-b", "requests_total", MetricKind.COUNTER, 18250, "", InstancePhase.PENDING,
                        false, true, null, null, null),
                new Input.ReplicaChange(AT, "checkout", 4, 3, 2, AT.minusSeconds(30)),
                new Input.ReplicaChange(AT, "checkout", 4, 3, 2, null),
                new Input.ReplicaChange(AT, "checkout", 2, 2, 2, null, List.of("checkout-a", "checkout-b")),
                new Input.ReplicaChange(AT, "checkout", 0, 0, 0, null, List.of()),
                new Input.PolicyChange(AT, new Policy("checkout", 7, 0, 10, List.of(new Policy.MetricTarget("lag",
                        MetricSourceType.CONSUMER_LAG, TargetType.AVERAGE_VALUE, 100, 5.0, "g", "orders", true)),
                        new Policy.Behavior(null, new Policy.Rules(60, null, List.of(), 0.05)), 0.1, 30, 60, true)));
        DataOutputSerializer out = new DataOutputSerializer(256);
        for (Input input : inputs) {
            InputSerializer.INSTANCE.serialize(input, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (Input input : inputs) {
            assertEquals(input, InputSerializer.INSTANCE.deserialize(in));
        }
        DataInputDeserializer again = new DataInputDeserializer(out.getCopyOfBuffer());
        DataOutputSerializer copied = new DataOutputSerializer(256);
        for (int i = 0; i < inputs.size(); i++) {
            InputSerializer.INSTANCE.copy(again, copied);
        }
        assertEquals(out.length(), copied.length());
    }
}

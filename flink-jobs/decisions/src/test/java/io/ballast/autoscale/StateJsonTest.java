package io.ballast.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

/** The documented form is strict; the job's compact form reads states written before a field was added or removed. */
class StateJsonTest {
    private static final Path EXAMPLE = Path.of("..", "..", "examples", "autoscale", "state.json");

    @Test
    void theDocumentedExampleReadsAndAnUnknownFieldIsRefused() throws Exception {
        String json = Files.readString(EXAMPLE);
        StateJson.EvaluationRequest request = StateJson.readRequest(json);
        assertEquals(4, request.state().replicas().spec());
        assertThrows(JsonProcessingException.class, () -> StateJson.readRequest(json.replace("\"lastActiveAt\"", "\"lastActiveAtt\"")));
    }

    @Test
    void theCompactFormRoundTripsAndToleratesAFieldItDoesNotKnowOrMisses() throws Exception {
        DecisionState state = StateJson.readRequest(Files.readString(EXAMPLE)).state();
        byte[] compact = StateJson.compactMapper().writerFor(DecisionState.class).writeValueAsBytes(state);
        assertEquals(state, StateJson.compactMapper().readerFor(DecisionState.class).readValue(compact));
        assertTrue(new String(compact, StandardCharsets.UTF_8).contains("\"at\":1767225780000"), "instants as epoch milliseconds");

        String older = new String(compact, StandardCharsets.UTF_8).replace("\"lastActiveAt\":null,", "").replace("{\"service\"", "{\"retired\":1,\"service\"");
        DecisionState restored = StateJson.compactMapper().readerFor(DecisionState.class).readValue(older);
        assertEquals(state, restored);
    }
}

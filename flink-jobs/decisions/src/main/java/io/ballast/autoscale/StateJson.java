package io.ballast.autoscale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON form of a {@link DecisionState}: the form the Flink job keeps per service and the one
 * {@code ballast autoscale evaluate} reads. Times are ISO-8601 instants; unknown fields are refused so
 * that a typo never silently drops a fact.
 */
public final class StateJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addMixIn(Input.class, InputForm.class)
            .build();

    /** Inputs are written with their kind, so a buffer of mixed inputs reads back as what it was. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "input")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Input.PolicyChange.class, name = "policy"),
            @JsonSubTypes.Type(value = Input.ReplicaChange.class, name = "replicas"),
            @JsonSubTypes.Type(value = Input.Sample.class, name = "sample")})
    private abstract static class InputForm {
    }

    private StateJson() {
    }

    /**
     * The document {@code ballast autoscale evaluate} reads: a service's state and the event time to
     * evaluate it at.
     */
    public record EvaluationRequest(Instant now, DecisionState state) {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(DecisionState state) {
        try {
            return MAPPER.writeValueAsBytes(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decision state could not be written as JSON", e);
        }
    }

    public static DecisionState read(byte[] json) {
        try {
            return MAPPER.readValue(json, DecisionState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a decision state: " + e.getMessage(), e);
        }
    }

    /** Reads an evaluation request, failing with the JSON path of what is wrong. */
    public static EvaluationRequest readRequest(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, EvaluationRequest.class);
    }

    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not be written as JSON: " + value, e);
        }
    }
}

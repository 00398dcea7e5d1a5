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
 * {@code ballast autoscale evaluate} reads. Times are ISO-8601 instants or epoch milliseconds; unknown
 * fields are refused so that a typo never silently drops a fact.
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
            .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .build();
    // lenient on read, unlike the documented form: a checkpoint written before a field was added or
    // removed still restores (missing fields read as null, which the records take as empty or unknown)
    private static final ObjectMapper COMPACT = MAPPER.copy()
            .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

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

    /**
     * The mapper. It reads instants both as ISO-8601 strings and as epoch milliseconds; it writes ISO-8601.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The mapper the Flink job keeps state with: the same form, but instants written as epoch
     * milliseconds, which parse several times faster than ISO-8601 strings on the job's hot path.
     */
    public static ObjectMapper compactMapper() {
        return COMPACT;
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

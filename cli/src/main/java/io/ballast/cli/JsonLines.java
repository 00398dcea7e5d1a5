package io.ballast.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.json.InvalidEventException;

/** Files of JSON events, one a line, as {@code produce} and {@code autoscale simulate} read them. */
final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {
    }

    /** The file, or standard input for {@code -}. */
    static BufferedReader open(String file) throws IOException {
        if ("-".equals(file)) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
    }

    /** One line as a JSON object, or an {@link InvalidEventException} that says why it is not one. */
    static ObjectNode object(String line) {
        JsonNode json;
        try {
            json = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("$", "not JSON: " + e.getOriginalMessage());
        }
        if (!(json instanceof ObjectNode event)) {
            throw new InvalidEventException("$", "expected a JSON object, got " + json.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return event;
    }
}

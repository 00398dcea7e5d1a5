package io.ballast.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.json.InvalidEventException;
import org.apache.avro.Schema;

/**
 * Which topic an event of a mixed file (a trace) goes to: the topic of its {@code envelope.type}, else the one
 * catalog topic whose event has every field the line gives and the line every field the event requires.
 */
final class TraceTopics {
    private TraceTopics() {
    }

    static TopicSpec topicOf(ObjectNode event) {
        String type = event.path("envelope").path("type").asText("");
        List<TopicSpec> candidates = new ArrayList<>();
        for (TopicSpec topic : Topics.all()) {
            if (!(topic.value() instanceof ValueFormat.Avro avro) || topic.name().startsWith("ballast.internal.")) {
                continue;
            }
            Schema schema = avro.schema();
            if (type.isEmpty() ? fits(event, schema) : schema.getName().equals(type)) {
                candidates.add(topic);
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        String given = type.isEmpty() ? "its fields " + fields(event) : "envelope.type " + type;
        throw new InvalidEventException("$", (candidates.isEmpty() ? "no topic of the catalog takes an event with " + given
                : "events with " + given + " fit " + candidates.stream().map(TopicSpec::name).toList())
                + ": give envelope.type, or --topic");
    }

    private static boolean fits(ObjectNode event, Schema schema) {
        Set<String> given = fields(event);
        for (String field : given) {
            if (schema.getField(field) == null) {
                return false;
            }
        }
        for (Schema.Field field : schema.getFields()) {
            if (!field.hasDefaultValue() && !field.name().equals("envelope") && !given.contains(field.name())) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> fields(ObjectNode event) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = event.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("envelope")) {
                names.add(name);
            }
        }
        return names;
    }
}

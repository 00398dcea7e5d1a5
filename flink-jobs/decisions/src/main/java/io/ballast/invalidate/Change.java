package io.ballast.invalidate;

import java.util.ArrayList;
import java.util.List;

/**
 * A committed change of an entity, as the invalidator needs it.
 *
 * @param occurredAt event time, epoch millis
 */
public record Change(String entity, long version, long occurredAt, String eventId) {
    /** The rules a change must meet to enter the invalidator: an entity and a version (versions start at 1). */
    public static List<String> violations(String entity, long version) {
        List<String> violations = new ArrayList<>();
        if (entity.isBlank()) {
            violations.add("entity: is empty");
        }
        if (version < 1) {
            violations.add("version: " + version + " is missing or not a version; versions start at 1 and increase per entity");
        }
        return violations;
    }
}

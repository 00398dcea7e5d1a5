package io.ballast.catalog;

import java.util.List;

/**
 * What {@link TopicInitializer#ensure} found and did.
 *
 * @param created topics it created
 * @param existing topics that were there already
 * @param drift settings of existing topics that differ from the catalog
 */
public record TopicReport(List<String> created, List<String> existing, List<TopicDrift> drift) {
    public TopicReport {
        created = List.copyOf(created);
        existing = List.copyOf(existing);
        drift = List.copyOf(drift);
    }

    /** True when every topic exists as the catalog describes it. */
    public boolean inSync() {
        return drift.isEmpty();
    }
}

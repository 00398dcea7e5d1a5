package io.ballast.invalidate;

import java.util.List;

/**
 * What the invalidator keeps per entity: the highest version seen (and the event that carried it, to
 * tell a redelivery from a reused version) and the group of changes waiting to be emitted, if any.
 */
public record CoalesceState(long highestVersion, String highestEventId, Group pending) {

    /**
     * Changes of one entity coalesced into one invalidation.
     *
     * @param firstEventTime the event time the group's window starts at
     * @param openedAt       wall-clock time the group opened (it is emitted at most a window later)
     * @param newestEventTime the newest event time in the group
     */
    public record Group(long firstEventTime, long openedAt, long version, long newestEventTime, List<String> changeIds) {
        public Group {
            changeIds = List.copyOf(changeIds);
        }
    }
}

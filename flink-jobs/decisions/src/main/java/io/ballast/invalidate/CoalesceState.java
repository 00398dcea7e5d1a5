package io.ballast.invalidate;

import java.util.List;

/**
 * What the invalidator keeps per entity: the highest version seen (and the event that carried it, to
 * tell a redelivery from a reused version), the group of changes waiting to be emitted, if any, and the event
 * time until which a new change is held in a group rather than emitted at once ({@code heldUntil}: a window after
 * the entity's last emission; 0 in state written before it existed, so its next change is emitted at once).
 */
public record CoalesceState(long highestVersion, String highestEventId, Group pending, long heldUntil) {

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

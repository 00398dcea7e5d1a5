package io.ballast.invalidate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Coalesces the changes of one entity: changes whose event times lie within {@code window} of a group's
 * first change become one invalidation carrying the highest version. A group is emitted when the
 * watermark passes its window, when a change outside its window arrives, or a window's length of wall-clock
 * time after it opened, whichever comes first: idle partitions holding the watermark back never hold an
 * invalidation back. Versions must increase per entity; a lower one, or the same one carried by another
 * event, is refused (a redelivery of the same event is ignored).
 */
public final class Coalescer {
    /** The reason codes of refused changes. */
    public static final String VERSION_WENT_BACKWARDS = "VERSION_WENT_BACKWARDS";
    public static final String VERSION_REUSED = "VERSION_REUSED";

    private final long window;

    public Coalescer(long windowMillis) {
        if (windowMillis < 0) {
            throw new IllegalArgumentException("coalescing window must not be negative: " + windowMillis + " ms");
        }
        this.window = windowMillis;
    }

    /** What an offered change did. */
    public sealed interface Outcome {
        CoalesceState state();
    }

    /** The change was taken; {@code emitted} is the group it closed, if any; {@code opened} when it opened a group. */
    public record Accepted(CoalesceState state, Optional<Visit> emitted, boolean opened) implements Outcome {
    }

    /** The same event again (an at-least-once redelivery): nothing to do. */
    public record Redelivered(CoalesceState state) implements Outcome {
    }

    /** The change contradicts the entity's versions; state unchanged. */
    public record Refused(CoalesceState state, String code, String reason) implements Outcome {
    }

    /** Offers a change at wall-clock {@code now}; {@code state} is null for an entity never seen. */
    public Outcome offer(CoalesceState state, Change change, long now) {
        if (state != null && change.version() <= state.highestVersion()) {
            if (change.version() == state.highestVersion()) {
                return change.eventId().equals(state.highestEventId()) ? new Redelivered(state)
                        : new Refused(state, VERSION_REUSED, "version " + change.version() + " of " + change.entity()
                        + " was already carried by event " + state.highestEventId() + "; versions must increase per entity");
            }
            return new Refused(state, VERSION_WENT_BACKWARDS, "version " + change.version() + " of " + change.entity()
                    + " is older than version " + state.highestVersion() + " already seen; its invalidation covers this change");
        }
        CoalesceState.Group pending = state == null ? null : state.pending();
        if (pending != null && change.occurredAt() < pending.firstEventTime() + window) {
            List<String> ids = new ArrayList<>(pending.changeIds());
            ids.add(change.eventId());
            CoalesceState.Group joined = new CoalesceState.Group(pending.firstEventTime(), pending.openedAt(), change.version(),
                    Math.max(pending.newestEventTime(), change.occurredAt()), ids);
            return new Accepted(new CoalesceState(change.version(), change.eventId(), joined), Optional.empty(), false);
        }
        CoalesceState.Group opened = new CoalesceState.Group(change.occurredAt(), now, change.version(), change.occurredAt(),
                List.of(change.eventId()));
        return new Accepted(new CoalesceState(change.version(), change.eventId(), opened),
                Optional.ofNullable(pending).map(p -> visit(change.entity(), p)), true);
    }

    /** The pending group, if its time has come at wall-clock {@code now} or at {@code watermark}. */
    public Optional<Visit> due(String entity, CoalesceState state, long now, long watermark) {
        CoalesceState.Group pending = state == null ? null : state.pending();
        if (pending == null || (pending.openedAt() + window > now && pending.firstEventTime() + window > watermark)) {
            return Optional.empty();
        }
        return Optional.of(visit(entity, pending));
    }

    /** The state once its pending group is emitted. */
    public static CoalesceState emitted(CoalesceState state) {
        return new CoalesceState(state.highestVersion(), state.highestEventId(), null);
    }

    /** When the wall-clock and event-time deadlines of a group fall. */
    public long wallDeadline(CoalesceState.Group group) {
        return group.openedAt() + window;
    }

    public long eventTimeDeadline(CoalesceState.Group group) {
        return group.firstEventTime() + window;
    }

    private static Visit visit(String entity, CoalesceState.Group group) {
        return new Visit(Node.entity(entity), entity, group.version(), group.newestEventTime(), group.changeIds());
    }
}

package io.ballast.invalidate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Coalesces the changes of one entity. A change of an entity quiet for a window (no invalidation emitted for
 * changes within {@code window} of event time before it) is emitted at once, alone: an isolated change waits for
 * nothing (the leading edge). A change that follows an emission within the window is held: it opens a group, and
 * the changes whose event times lie within {@code window} of the group's first join it, one invalidation carrying
 * the highest version. A group is emitted when the watermark passes its window, when a change outside its window
 * arrives (which opens the next group), or a window's length of wall-clock time after it opened, whichever comes
 * first: idle partitions holding the watermark back never hold an invalidation back. So an entity changing
 * continuously is invalidated about once a window, and a burst gives at most two invalidations: its first change
 * and the rest. Versions must increase per entity; a lower one, or the same one carried by another event, is
 * refused (a redelivery of the same event is ignored).
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
            return new Accepted(new CoalesceState(change.version(), change.eventId(), joined, state.heldUntil()), Optional.empty(), false);
        }
        CoalesceState.Group single = new CoalesceState.Group(change.occurredAt(), now, change.version(), change.occurredAt(),
                List.of(change.eventId()));
        if (pending == null && (state == null || change.occurredAt() >= state.heldUntil())) {
            return new Accepted(new CoalesceState(change.version(), change.eventId(), null, change.occurredAt() + window),
                    Optional.of(visit(change.entity(), single)), false);
        }
        // held: it follows an emission within a window, or closes a group (emitted now: not two invalidations at once)
        return new Accepted(new CoalesceState(change.version(), change.eventId(), single, state.heldUntil()),
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

    /** The state once its pending group is emitted: a change within a window of the group's first is still held. */
    public CoalesceState emitted(CoalesceState state) {
        if (state.pending() == null) {
            return state;
        }
        return new CoalesceState(state.highestVersion(), state.highestEventId(), null,
                Math.max(state.heldUntil(), eventTimeDeadline(state.pending())));
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

package io.ballast.invalidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CoalescerTest {
    private final Coalescer coalescer = new Coalescer(50);

    @Test
    void aChangeOfAQuietEntityIsEmittedAtOnceAlone() {
        Coalescer.Accepted first = (Coalescer.Accepted) coalescer.offer(null, new Change("u:1", 1, 1_000, "a"), 5_000);
        assertEquals(Optional.of(new Visit(Node.entity("u:1"), "u:1", 1, 1_000, List.of("a"))), first.emitted());
        assertEquals(new CoalesceState(1, "a", null, 1_050), first.state());
        assertEquals(false, first.opened(), "no group waits: no timer");

        // a window after it, the entity is quiet again
        Coalescer.Accepted later = (Coalescer.Accepted) coalescer.offer(first.state(), new Change("u:1", 2, 1_050, "b"), 5_100);
        assertEquals(Optional.of(new Visit(Node.entity("u:1"), "u:1", 2, 1_050, List.of("b"))), later.emitted());
    }

    @Test
    void changesWithinAWindowOfAnEmissionBecomeOneInvalidationWithTheHighestVersion() {
        CoalesceState led = coalescer.offer(null, new Change("u:1", 1, 1_000, "a"), 5_000).state();
        Coalescer.Accepted second = (Coalescer.Accepted) coalescer.offer(led, new Change("u:1", 2, 1_030, "b"), 5_010);
        assertEquals(Optional.empty(), second.emitted());
        assertEquals(true, second.opened(), "held in a group, with its timers");
        Coalescer.Accepted third = (Coalescer.Accepted) coalescer.offer(second.state(), new Change("u:1", 3, 1_049, "c"), 5_020);
        Coalescer.Accepted fourth = (Coalescer.Accepted) coalescer.offer(third.state(), new Change("u:1", 4, 1_079, "d"), 5_030);
        assertEquals(Optional.empty(), fourth.emitted());
        // neither the wall clock nor the watermark has passed the group's window (from its first change, 1,030) yet
        assertEquals(Optional.empty(), coalescer.due("u:1", fourth.state(), 5_059, 1_079));
        Visit expected = new Visit(Node.entity("u:1"), "u:1", 4, 1_079, List.of("b", "c", "d"));
        assertEquals(Optional.of(expected), coalescer.due("u:1", fourth.state(), 5_060, 0));
        assertEquals(Optional.of(expected), coalescer.due("u:1", fourth.state(), 0, 1_080));

        // a change past the group's window closes it and is held in the next: one invalidation at a time
        Coalescer.Accepted fifth = (Coalescer.Accepted) coalescer.offer(fourth.state(), new Change("u:1", 5, 1_080, "e"), 5_040);
        assertEquals(Optional.of(expected), fifth.emitted());
        assertEquals(new CoalesceState.Group(1_080, 5_040, 5, 1_080, List.of("e")), fifth.state().pending());
    }

    @Test
    void afterAGroupIsEmittedAChangeWithinItsWindowIsHeldAndOneAfterItIsEmittedAtOnce() {
        CoalesceState led = coalescer.offer(null, new Change("u:1", 1, 1_000, "a"), 5_000).state();
        CoalesceState held = coalescer.offer(led, new Change("u:1", 2, 1_030, "b"), 5_010).state();
        CoalesceState emitted = coalescer.emitted(held);
        assertEquals(new CoalesceState(2, "b", null, 1_080), emitted);

        Coalescer.Accepted within = (Coalescer.Accepted) coalescer.offer(emitted, new Change("u:1", 3, 1_070, "c"), 5_100);
        assertEquals(Optional.empty(), within.emitted());
        assertEquals(true, within.opened());
        Coalescer.Accepted after = (Coalescer.Accepted) coalescer.offer(emitted, new Change("u:1", 3, 1_080, "c"), 5_100);
        assertEquals(Optional.of(new Visit(Node.entity("u:1"), "u:1", 3, 1_080, List.of("c"))), after.emitted());
    }

    @Test
    void versionsGoingBackOrReusedAreRefusedAndRedeliveriesIgnored() {
        CoalesceState state = coalescer.offer(null, new Change("u:1", 5, 1_000, "a"), 0).state();
        Coalescer.Refused back = (Coalescer.Refused) coalescer.offer(state, new Change("u:1", 3, 2_000, "b"), 0);
        assertEquals(Coalescer.VERSION_WENT_BACKWARDS, back.code());
        assertEquals("version 3 of u:1 is older than version 5 already seen; its invalidation covers this change", back.reason());
        Coalescer.Refused reused = (Coalescer.Refused) coalescer.offer(state, new Change("u:1", 5, 2_000, "c"), 0);
        assertEquals(Coalescer.VERSION_REUSED, reused.code());
        assertInstanceOf(Coalescer.Redelivered.class, coalescer.offer(state, new Change("u:1", 5, 1_000, "a"), 0));
        assertEquals(state, back.state());
    }
}

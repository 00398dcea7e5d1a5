package io.ballast.invalidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CoalescerTest {
    private final Coalescer coalescer = new Coalescer(50);

    @Test
    void changesWithinTheWindowBecomeOneInvalidationWithTheHighestVersion() {
        Coalescer.Accepted first = (Coalescer.Accepted) coalescer.offer(null, new Change("u:1", 1, 1_000, "a"), 5_000);
        Coalescer.Accepted second = (Coalescer.Accepted) coalescer.offer(first.state(), new Change("u:1", 2, 1_030, "b"), 5_010);
        Coalescer.Accepted third = (Coalescer.Accepted) coalescer.offer(second.state(), new Change("u:1", 3, 1_049, "c"), 5_020);
        assertEquals(Optional.empty(), third.emitted());
        // neither the wall clock nor the watermark has passed the window yet
        assertEquals(Optional.empty(), coalescer.due("u:1", third.state(), 5_049, 1_049));
        Visit expected = new Visit(Node.entity("u:1"), "u:1", 3, 1_049, List.of("a", "b", "c"));
        assertEquals(Optional.of(expected), coalescer.due("u:1", third.state(), 5_050, 0));
        assertEquals(Optional.of(expected), coalescer.due("u:1", third.state(), 0, 1_050));

        // a change past the window closes the group and opens the next
        Coalescer.Accepted fourth = (Coalescer.Accepted) coalescer.offer(third.state(), new Change("u:1", 4, 1_050, "d"), 5_030);
        assertEquals(Optional.of(expected), fourth.emitted());
        assertEquals(new CoalesceState.Group(1_050, 5_030, 4, 1_050, List.of("d")), fourth.state().pending());
    }

    @Test
    void versionsGoingBackOrReusedAreRefusedAndRedeliveriesIgnored() {
        CoalesceState state = coalescer.offer(null, new Change("u:1", 5, 1_000, "a"), 0).state();
        state = Coalescer.emitted(state);
        Coalescer.Refused back = (Coalescer.Refused) coalescer.offer(state, new Change("u:1", 3, 2_000, "b"), 0);
        assertEquals(Coalescer.VERSION_WENT_BACKWARDS, back.code());
        assertEquals("version 3 of u:1 is older than version 5 already seen; its invalidation covers this change", back.reason());
        Coalescer.Refused reused = (Coalescer.Refused) coalescer.offer(state, new Change("u:1", 5, 2_000, "c"), 0);
        assertEquals(Coalescer.VERSION_REUSED, reused.code());
        assertInstanceOf(Coalescer.Redelivered.class, coalescer.offer(state, new Change("u:1", 5, 1_000, "a"), 0));
        assertEquals(state, back.state());
    }
}

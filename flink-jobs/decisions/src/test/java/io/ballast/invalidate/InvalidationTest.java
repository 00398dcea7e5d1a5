package io.ballast.invalidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** One change's invalidations combine into as few as the bound on names allows, naming the same in the same order. */
class InvalidationTest {
    private static Invalidation of(List<String> keys, List<String> tags) {
        return new Invalidation("user:42", 3, keys, tags, List.of("c1", "c2"), 1_000);
    }

    @Test
    void oneChangesInvalidationsCombineInOrderUpToTheBound() {
        List<Invalidation> visits = List.of(of(List.of(), List.of("user")), of(List.of("a"), List.of()), of(List.of("b"), List.of()),
                of(List.of("c"), List.of()), of(List.of("d"), List.of()));
        assertEquals(List.of(of(List.of("a", "b", "c", "d"), List.of("user"))), Invalidation.combine(visits, 5));
        assertEquals(List.of(of(List.of("a", "b"), List.of("user")), of(List.of("c", "d"), List.of())), Invalidation.combine(visits, 3));
        assertEquals(visits, Invalidation.combine(visits, 1));
    }

    @Test
    void anInvalidationNamingMoreThanTheBoundStaysWhole() {
        List<Invalidation> visits = List.of(of(List.of("a"), List.of()), of(List.of("b", "c", "d"), List.of()), of(List.of("e"), List.of()));
        assertEquals(visits, Invalidation.combine(visits, 2));
    }

    @Test
    void invalidationsOfTwoChangesDoNotCombine() {
        Invalidation other = new Invalidation("user:42", 4, List.of("a"), List.of(), List.of("c3"), 2_000);
        assertThrows(IllegalArgumentException.class, () -> Invalidation.combine(List.of(of(List.of("b"), List.of()), other), 10));
    }
}

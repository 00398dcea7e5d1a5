package io.ballast.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.PrimitiveIterator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class FreePortTest {

    /**
     * Quarkus given one port for its HTTP and its management interface shares the socket (Vert.x) and answers some
     * Confluent API requests with the management router's HTML 404 (reproduced by hand with the distribution: 3 of 10
     * registrations refused), so a second port must never be the first, even when the probe offers it again (it can:
     * the first is not bound yet when the second is chosen).
     */
    @Test
    void aSecondPortIsNeverTheFirstEvenWhenTheProbeOffersItAgain() {
        PrimitiveIterator.OfInt offered = IntStream.of(18080, 18080, 18081).iterator();
        assertEquals(18081, FreePort.otherThan(offered::nextInt, 18080));
        PrimitiveIterator.OfInt other = IntStream.of(18082).iterator();
        assertEquals(18082, FreePort.otherThan(other::nextInt, 18080));
        PrimitiveIterator.OfInt twoTaken = IntStream.of(18080, 18090, 18080, 18091).iterator();
        assertEquals(18091, FreePort.otherThan(twoTaken::nextInt, 18080, 18090));
    }

    @Test
    void aPortFindGaveLatelyIsNotGivenAgain() {
        java.util.Deque<Integer> recent = new java.util.ArrayDeque<>();
        PrimitiveIterator.OfInt offered = IntStream.of(18100, 18100, 18101, 18100, 18101, 18102).iterator();
        assertEquals(18100, FreePort.unlike(recent, offered::nextInt));
        assertEquals(18101, FreePort.unlike(recent, offered::nextInt));
        assertEquals(18102, FreePort.unlike(recent, offered::nextInt));
        assertEquals(java.util.List.of(18100, 18101, 18102), java.util.List.copyOf(recent));
    }
}

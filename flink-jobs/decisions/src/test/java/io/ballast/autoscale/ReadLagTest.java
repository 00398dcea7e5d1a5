package io.ballast.autoscale;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReadLagTest {
    @Test
    void nothingReadIsNotTakenAsLive() {
        assertFalse(new ReadLag(1_000).within(250, 5_000));
    }

    @Test
    void aLateInputCountsForAtLeastOneWindowAndAtMostTwo() {
        ReadLag lag = new ReadLag(1_000);
        lag.read(0, 100);
        assertTrue(lag.within(250, 100), "windows from 100: [100, 1100), [1100, 2100), ...");
        lag.read(400, 900);
        assertFalse(lag.within(250, 900), "read 500 ms after its event time");
        lag.read(1_490, 1_500);
        assertFalse(lag.within(250, 2_099), "the late read is in the previous window");
        assertTrue(lag.within(250, 2_100), "its window has rolled out; the previous one read on time");
        assertFalse(lag.within(250, 3_100), "nothing read for a whole window");
    }

    @Test
    void anInputAheadOfTheClockIsLive() {
        ReadLag lag = new ReadLag(1_000);
        lag.read(5_000, 100);
        assertTrue(lag.within(0, 100));
    }

    @Test
    void theWindowMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ReadLag(0));
    }
}

package io.ballast.store.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ReplayRecordsTest {

    @Test
    void numbersInHeadersAreTheDigitsLongToStringGives() {
        long[] edges = {0, 1, 9, 10, 99, 100, 999_999, 1_000_000, Integer.MAX_VALUE, Long.MAX_VALUE, -1, -10, Long.MIN_VALUE};
        for (long value : edges) {
            assertEquals(Long.toString(value), new String(ReplayRecords.ascii(value), StandardCharsets.US_ASCII));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long value = random.nextLong() >>> random.nextInt(64);
            assertEquals(Long.toString(value), new String(ReplayRecords.ascii(value), StandardCharsets.US_ASCII));
        }
    }
}

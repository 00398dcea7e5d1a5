package io.ballast.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ballast.cache.AppliedInvalidations.Applied;
import org.junit.jupiter.api.Test;

class AppliedInvalidationsTest {
    @Test
    void anAnnouncementIsEntityVersionAndEntriesRemoved() {
        assertEquals(new Applied("entity:456", 7, 2), Applied.parse("entity:456 7 2"));
        assertEquals(new Applied("an entity with spaces", 12345678901234567L, 0), Applied.parse("an entity with spaces 12345678901234567 0"));
    }

    @Test
    void anythingElseIsRefusedQuotingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Applied.parse("7 2"));
        assertEquals("not an 'ENTITY VERSION REMOVED' announcement: '7 2'", e.getMessage());
        assertThrows(NumberFormatException.class, () -> Applied.parse("entity:1 seven 2"));
    }
}

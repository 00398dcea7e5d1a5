package io.ballast.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.Await;
import io.ballast.embedded.junit.WithRegistry;
import org.junit.jupiter.api.Test;

/** What a client reports of the registry without being asked for a schema: a background probe, never a blocked caller. */
@WithRegistry
class RegistryReachTest {

    @Test
    void aClientThatAsksNothingStillLearnsThatNoRegistryAnswers() throws Exception {
        String url = "http://127.0.0.1:" + FreePort.find();
        RegistryClient client = RegistryClient.connect(RegistryConfig.of(url).withRequestTimeout(Duration.ofSeconds(1)));
        assertEquals(RegistryReach.UNKNOWN, client.reachability());
        Await.until("the probe's answer", Duration.ofSeconds(20), () -> !client.reachability().reachable());
        RegistryReach reach = client.reachability();
        assertTrue(reach.error().startsWith("the schema registry at " + url + " is unavailable"), reach.error());
        assertTrue(reach.checkedAt().isAfter(Instant.now().minusSeconds(20)), reach::toString);
        assertTrue(reach.describe().startsWith("unreachable (checked "), reach.describe());
    }

    @Test
    void aRunningRegistryIsReachableAndACallRecordsItAtOnce(ApicurioRegistry registry) {
        RegistryClient client = RegistryClient.connect(RegistryConfig.of(registry.url()));
        Instant before = Instant.now();
        client.compatibility(null);
        RegistryReach reach = client.reachability();
        assertTrue(reach.reachable(), reach::toString);
        assertFalse(reach.checkedAt().isBefore(before), reach::toString);
        assertEquals("", reach.error());
    }
}

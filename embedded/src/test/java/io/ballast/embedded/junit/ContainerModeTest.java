package io.ballast.embedded.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/**
 * The test kit's Testcontainers mode: selected by a system property, it runs where a Docker engine answers and is
 * skipped, saying why, where none does (as on the build machines here); the in-process broker stays the default.
 */
class ContainerModeTest {

    @Test
    void withoutTheSwitchTheInProcessBrokerIsUsed() {
        System.clearProperty(KafkaExtension.BROKER_PROPERTY);
        ConditionEvaluationResult result = new KafkaExtension().evaluateExecutionCondition(null);
        assertEquals(false, result.isDisabled());
        assertEquals("in-process broker", result.getReason().orElseThrow());
    }

    @Test
    void testcontainersModeRunsWithDockerAndIsSkippedWithoutIt() {
        System.setProperty(KafkaExtension.BROKER_PROPERTY, "testcontainers");
        try {
            boolean docker = ContainerKafka.dockerAvailable();
            ConditionEvaluationResult result = new KafkaExtension().evaluateExecutionCondition(null);
            assertEquals(!docker, result.isDisabled());
            assertEquals(docker ? "Testcontainers Kafka" : "ballast.test.kafka=testcontainers, but no Docker engine answers here: skipped",
                    result.getReason().orElseThrow());
        } finally {
            System.clearProperty(KafkaExtension.BROKER_PROPERTY);
        }
    }
}

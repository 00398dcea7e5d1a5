package io.ballast.embedded.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.TempDirs;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real single-node KRaft broker, started once per JVM and shared by every test
 * class that asks for it (it starts in about a second; starting one per class would multiply that).
 * Tests therefore name their topics uniquely. Inject it as an {@link EmbeddedKafka} parameter.
 */
public final class KafkaExtension implements ParameterResolver, ExecutionCondition {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);
    /** Selects the test broker: {@code embedded} (the default, in-process KRaft) or {@code testcontainers} (needs Docker). */
    public static final String BROKER_PROPERTY = "ballast.test.kafka";

    private static boolean containers() {
        return "testcontainers".equals(System.getProperty(BROKER_PROPERTY, "embedded"));
    }

    /** In Testcontainers mode without Docker (or without Testcontainers on the class path), the test is skipped, saying why. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!containers()) {
            return ConditionEvaluationResult.enabled("in-process broker");
        }
        try {
            Class.forName("org.testcontainers.kafka.KafkaContainer");
        } catch (ClassNotFoundException e) {
            return ConditionEvaluationResult.disabled(BROKER_PROPERTY + "=testcontainers, but org.testcontainers:testcontainers-kafka "
                    + "is not on this module's test class path");
        }
        return ContainerKafka.dockerAvailable() ? ConditionEvaluationResult.enabled("Testcontainers Kafka")
                : ConditionEvaluationResult.disabled(BROKER_PROPERTY + "=testcontainers, but no Docker engine answers here: skipped");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The JVM's broker, started on first use and stopped when the test run ends. */
    public static EmbeddedKafka shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("broker", key -> new SharedBroker(start()), SharedBroker.class)
                .kafka();
    }

    private static EmbeddedKafka start() {
        if (containers()) {
            return ContainerKafka.start();
        }
        try {
            Path dir = Files.createTempDirectory("ballast-test-kafka");
            return EmbeddedKafka.start(dir, 0, 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("no temporary directory for the test broker", e);
        }
    }

    private record SharedBroker(EmbeddedKafka kafka) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            kafka.close();
            if (kafka.dataDir() != null) {
                TempDirs.deleteQuietly(kafka.dataDir());
            }
        }
    }
}

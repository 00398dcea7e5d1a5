package io.ballast.embedded.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.ballast.embedded.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real single-node KRaft broker, started once per JVM and shared by every test
 * class that asks for it (it starts in about a second; starting one per class would multiply that).
 * Tests therefore name their topics uniquely. Inject it as an {@link EmbeddedKafka} parameter.
 */
public final class KafkaExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

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
            TempDirs.deleteQuietly(kafka.dataDir());
        }
    }
}

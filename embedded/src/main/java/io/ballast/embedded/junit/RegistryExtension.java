package io.ballast.embedded.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.TempDirs;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real Apicurio Registry (Confluent API, global compatibility BACKWARD, in-memory
 * storage), started once per JVM and shared. Tests use unique subject names. Inject it as an
 * {@link ApicurioRegistry} parameter.
 */
public final class RegistryExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RegistryExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ApicurioRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The JVM's registry, started on first use and stopped when the test run ends. */
    public static ApicurioRegistry shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("registry", key -> new SharedRegistry(start()), SharedRegistry.class)
                .registry();
    }

    private static SharedRegistry.Started start() {
        try {
            Path dir = Files.createTempDirectory("ballast-test-registry");
            return new SharedRegistry.Started(ApicurioRegistry.start(dir, 0, false), dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("no temporary directory for the test registry", e);
        }
    }

    private record SharedRegistry(Started started) implements ExtensionContext.Store.CloseableResource {
        record Started(ApicurioRegistry registry, Path dir) {
        }

        ApicurioRegistry registry() {
            return started.registry();
        }

        @Override
        public void close() {
            started.registry().close();
            TempDirs.deleteQuietly(started.dir());
        }
    }
}

package io.ballast.jobs.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import io.ballast.client.ClientConfig;
import io.ballast.events.MetricSample;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter producers the readers share are closed when the job's class loader is released (as the
 * TaskManager does when the job leaves it), so neither producers nor the loader outlive the job. Nothing is
 * sent here: the producers are created against an address nobody listens on and only opened and closed.
 */
class DeadLetterPublishersReleaseTest {
    @Test
    void releasingTheJobsClassLoaderClosesItsDeadLetterProducers() throws Exception {
        // other tests of this JVM may have left publishers (their jobs' classes come from this class loader)
        EventDeserializationSchema.closePublishers();
        Map<String, Runnable> hooks = new HashMap<>();
        UserCodeClassLoader loader = new UserCodeClassLoader() {
            @Override
            public ClassLoader asClassLoader() {
                return getClass().getClassLoader();
            }

            @Override
            public void registerReleaseHookIfAbsent(String name, Runnable hook) {
                hooks.putIfAbsent(name, hook);
            }
        };
        DeserializationSchema.InitializationContext context = new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return loader;
            }
        };
        ClientConfig clients = ClientConfig.of("127.0.0.1:1", "http://127.0.0.1:1");
        new EventDeserializationSchema<>(MetricSample.class, clients, "job-a").open(context);
        new EventDeserializationSchema<>(MetricSample.class, clients, "job-a").open(context);
        new EventDeserializationSchema<>(MetricSample.class, clients, "job-b").open(context);
        assertEquals(2, EventDeserializationSchema.openPublishers());
        assertEquals(1, hooks.size());
        hooks.values().forEach(Runnable::run);
        assertEquals(0, EventDeserializationSchema.openPublishers());
    }
}

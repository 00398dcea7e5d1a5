package io.ballast.jobs.invalidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The job's graph as built, not run: what every exchange is configured with. */
class InvalidatorJobGraphTest {
    @Test
    void everyOperatorFlushesItsNetworkBuffersAtTheConfiguredTimeoutTheClosureSourceToo() {
        InvalidatorJobConfig config = InvalidatorJobConfig.parse(Map.of("buffer.timeout", "7ms"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new InvalidatorJob(config, InvalidatorJob.kafka(config)).build(env);
        Map<String, Long> timeouts = new TreeMap<>();
        for (StreamNode node : env.getStreamGraph().getStreamNodes()) {
            timeouts.put(node.getOperatorName(), node.getBufferTimeout());
        }
        assertEquals(7L, timeouts.get("Source: " + config.closureTopic()), timeouts.toString());
        assertEquals(1, timeouts.values().stream().distinct().count(), timeouts.toString());
    }

    @Test
    void chainedOperatorsHandTheirRecordsOverWithoutACopy() {
        InvalidatorJobConfig config = InvalidatorJobConfig.parse(Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new InvalidatorJob(config, InvalidatorJob.kafka(config)).build(env);
        // InvalidatorJob.build says why this is safe for every function of the job
        assertTrue(env.getStreamGraph().getExecutionConfig().isObjectReuseEnabled());
    }
}

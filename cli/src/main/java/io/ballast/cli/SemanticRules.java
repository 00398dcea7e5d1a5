package io.ballast.cli;

import java.time.Instant;
import java.util.List;

import io.ballast.autoscale.PolicyValidation;
import io.ballast.autoscale.SampleValidation;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingPolicy;
import org.apache.avro.generic.GenericRecord;

/** The rules an event must meet beyond its schema, checked before it is produced: the same the jobs apply. */
final class SemanticRules {
    private SemanticRules() {
    }

    /** Every violation of an event bound for {@code topic}; empty when it is fine or the topic has no rules. */
    static List<String> check(TopicSpec topic, GenericRecord record, Instant now) {
        if (topic.equals(Topics.POLICIES)) {
            return PolicyValidation.check(AvroRecords.specific(record, ScalingPolicy.class));
        }
        if (topic.equals(Topics.METRICS_RAW)) {
            return SampleValidation.check(AvroRecords.specific(record, MetricSample.class), now, SampleValidation.DEFAULT_MAX_FUTURE);
        }
        if (topic.equals(Topics.REPLICAS)) {
            return SampleValidation.check(AvroRecords.specific(record, ReplicaStatus.class), now, SampleValidation.DEFAULT_MAX_FUTURE);
        }
        return List.of();
    }
}

package io.ballast.jobs.autoscale;

import io.ballast.autoscale.Input;
import io.ballast.rebalance.InputPosition;

/**
 * An autoscaler input and where the job read it: a late one is recorded by its position, so that an audit can find it in
 * the archive.
 *
 * @param position topic, partition and offset; null when it was not read from Kafka (a test's bounded source)
 */
public record ReadInput(Input input, InputPosition position) {
    public String service() {
        return input.service();
    }
}

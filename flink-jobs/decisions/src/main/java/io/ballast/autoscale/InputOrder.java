package io.ballast.autoscale;

import java.util.Comparator;

/**
 * The order inputs are folded in: event time, then policy before replica status before sample, then
 * instance and metric. Inputs read from several partitions interleave differently on every run; this
 * order makes the job, a restored job and the simulator fold them identically.
 */
public final class InputOrder {
    public static final Comparator<Input> EVENT_TIME = Comparator.comparing(Input::at)
            .thenComparingInt(InputOrder::rank)
            .thenComparing(InputOrder::series);

    private InputOrder() {
    }

    private static int rank(Input input) {
        if (input instanceof Input.PolicyChange) {
            return 0;
        }
        return input instanceof Input.ReplicaChange ? 1 : 2;
    }

    private static String series(Input input) {
        return input instanceof Input.Sample s ? s.instance() + '\u0000' + s.metric() : "";
    }
}

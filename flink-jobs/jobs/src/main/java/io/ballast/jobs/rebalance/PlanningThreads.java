package io.ballast.jobs.rebalance;

import java.io.Serializable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Where a rebalancer subtask plans: by default one daemon thread of its own, beside the operator thread. */
@FunctionalInterface
interface PlanningThreads extends Serializable {
    PlanningThreads ONE = name -> Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    });

    ExecutorService start(String name);
}

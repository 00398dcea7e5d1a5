package io.ballast.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

/** The jobs of the job jar: the name {@code ballast submit} takes, the Flink job's name, its entry point. */
enum FlinkJob {
    AUTOSCALER("autoscaler", "ballast-autoscaler", "io.ballast.jobs.autoscale.AutoscalerJob"),
    REBALANCER("rebalancer", "ballast-rebalancer", "io.ballast.jobs.rebalance.RebalancerJob"),
    INVALIDATOR("invalidator", "ballast-invalidator", "io.ballast.jobs.invalidate.InvalidatorJob");

    /** The job jar's file name in {@code flink-jobs/jobs/target}. */
    static final String JAR = "ballast-jobs.jar";

    private final String key;
    private final String jobName;
    private final String entryClass;

    FlinkJob(String key, String jobName, String entryClass) {
        this.key = key;
        this.jobName = jobName;
        this.entryClass = entryClass;
    }

    String key() {
        return key;
    }

    String jobName() {
        return jobName;
    }

    String entryClass() {
        return entryClass;
    }

    /** The job a user names, as {@code autoscaler} or {@code ballast-autoscaler}. */
    static FlinkJob of(String name) {
        return Arrays.stream(values()).filter(j -> j.key.equals(name) || j.jobName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown job '" + name + "': one of autoscaler, rebalancer, invalidator"));
    }

    /** The job jar this build made. */
    static Path builtJar() {
        return Path.of(buildProperty("jobs.dir")).resolve(JAR).normalize();
    }

    /** A directory the build wrote, by its key in ballast-cli.properties. */
    static String buildProperty(String key) {
        Properties properties = new Properties();
        try (InputStream in = FlinkJob.class.getResourceAsStream("/ballast-cli.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("ballast-cli.properties is missing from the CLI build", e);
        }
        return properties.getProperty(key);
    }
}

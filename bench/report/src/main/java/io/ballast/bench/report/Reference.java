package io.ballast.bench.report;

/** The engine's own figure a Ballast figure is compared with, measured in the same run. */
public record Reference(String name, Spread value, String workload) {
}

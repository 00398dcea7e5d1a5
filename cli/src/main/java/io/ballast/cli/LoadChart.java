package io.ballast.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.ballast.autoscale.ClosedLoop;

/** An SVG of a closed-loop run: demand and ready capacity (requests per minute, left axis) and replicas (right axis). */
final class LoadChart {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 60;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;

    private LoadChart() {
    }

    static String svg(List<ClosedLoop.Slice> slices, double capacityPerReplica) {
        double maxRate = Math.max(1, slices.stream().mapToDouble(s -> Math.max(s.demand(), s.readyCapacity())).max().orElse(1));
        double maxReplicas = Math.max(1, slices.stream().mapToInt(ClosedLoop.Slice::replicas).max().orElse(1));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(line(slices, s -> s.demand() / maxRate, "#d62728", "demand (requests/min)"));
        svg.append(line(slices, s -> s.readyCapacity() / maxRate, "#2ca02c", "ready capacity (requests/min)"));
        svg.append(line(slices, s -> s.replicas() / maxReplicas, "#1f77b4", "replicas (right axis)"));
        int plotBottom = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, plotBottom,
                WIDTH - RIGHT, plotBottom));
        svg.append(String.format(Locale.ROOT, "<text x=\"5\" y=\"%d\">%.0f</text><text x=\"5\" y=\"%d\">0</text>%n", TOP + 4, maxRate,
                plotBottom));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.0f</text>%n", WIDTH - RIGHT + 5, TOP + 4, maxReplicas));
        if (!slices.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LEFT, HEIGHT - 10, slices.get(0).at(), WIDTH - RIGHT, HEIGHT - 10, slices.get(slices.size() - 1).at()));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\">demand (red), ready capacity (green; %.1f requests/min per "
                + "replica), replicas (blue)</text>%n</svg>%n", LEFT, capacityPerReplica));
        return svg.toString();
    }

    private static String line(List<ClosedLoop.Slice> slices, ToDoubleFunction<ClosedLoop.Slice> share, String color, String title) {
        StringBuilder points = new StringBuilder();
        double width = WIDTH - LEFT - RIGHT;
        double height = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i < slices.size(); i++) {
            double x = LEFT + (slices.size() == 1 ? 0 : width * i / (slices.size() - 1));
            double y = TOP + height * (1 - share.applyAsDouble(slices.get(i)));
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1\" points=\"%s\"><title>%s</title>"
                + "</polyline>%n", color, points.toString().strip(), title);
    }
}

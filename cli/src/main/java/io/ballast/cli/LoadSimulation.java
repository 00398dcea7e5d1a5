package io.ballast.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.autoscale.ClosedLoop;
import io.ballast.autoscale.Input;
import io.ballast.autoscale.Policy;
import io.ballast.json.InvalidEventException;
import picocli.CommandLine.Option;

/**
 * {@code ballast autoscale simulate --load}: a policy in a closed loop over requests per minute ({@link ClosedLoop}),
 * with a JSON report and an SVG chart of load, ready capacity and replicas.
 */
final class LoadSimulation {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int CHART_POINTS = 2000;

    @Option(names = "--load", paramLabel = "FILE.csv", description = "Requests per minute: 'period,count' lines (a header line is "
            + "skipped), period as 'yyyy-MM-dd HH:mm:ss' (UTC) or an ISO-8601 instant; gzipped when the name ends in .gz.")
    Path file;

    @Option(names = "--policy", paramLabel = "POLICY.json", description = "The policy, as 'ballast produce' takes it; its CPU "
            + "metric is the replicas' CPU.")
    Path policy;

    @Option(names = "--capacity", paramLabel = "N", description = "Requests per minute one replica serves at 100 %% of its one-core request.")
    Double capacity;

    @Option(names = "--startup", defaultValue = "60s", converter = DurationConverter.class,
            description = "A new replica is ready this long after it is created (default ${DEFAULT-VALUE}).")
    Duration startup;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write the report here (also printed).")
    Path report;

    @Option(names = "--chart", paramLabel = "FILE.svg", description = "Draw load, ready capacity and replicas over time here.")
    Path chart;

    @Option(names = "--from", paramLabel = "T", description = "Start at this instant of the trace (ISO-8601 or 'yyyy-MM-dd HH:mm:ss').")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "Stop before this instant of the trace.")
    String to;

    int run(AutoscalerSettings settings, PrintWriter out, PrintWriter err) throws IOException {
        if (policy == null || capacity == null) {
            err.println("--load needs --policy and --capacity");
            return ExitCodes.FAILED;
        }
        Policy parsed;
        List<ClosedLoop.Minute> minutes;
        try {
            parsed = readPolicy(policy);
            minutes = readLoad(file, from == null ? Instant.MIN : instant(from), to == null ? Instant.MAX : instant(to));
            if (minutes.isEmpty()) {
                err.println(file + ": no minute of load between --from and --to");
                return ExitCodes.FAILED;
            }
        } catch (InvalidEventException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        }
        long started = System.nanoTime();
        ClosedLoop.Result result = new ClosedLoop(settings, new ClosedLoop.Model(capacity, startup)).run(parsed, minutes);
        double seconds = (System.nanoTime() - started) / 1e9;
        String json = JSON.writeValueAsString(report(result, seconds));
        out.println(json);
        out.flush();
        if (report != null) {
            Files.writeString(report, json + "\n");
        }
        if (chart != null) {
            Files.writeString(chart, LoadChart.svg(ClosedLoop.thin(result.slices(), CHART_POINTS), capacity));
        }
        return ExitCodes.OK;
    }

    private Map<String, Object> report(ClosedLoop.Result r, double seconds) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("overloadMinutes", r.overloadMinutes());
        report.put("unservedShare", r.unservedShare());
        report.put("replicaMinutes", r.replicaMinutes());
        report.put("changesPerDay", Map.of("p50", r.p50ChangesPerDay(), "p99", r.p99ChangesPerDay(), "max", r.maxChangesPerDay()));
        report.put("changes", r.changes());
        report.put("surges", r.surges().stream().map(s -> Map.of("start", s.start().toString(), "minutesToCatchUp", s.minutes())).toList());
        report.put("evaluations", r.evaluations());
        report.put("simulatedDays", Math.round(r.simulatedDays() * 100) / 100.0);
        report.put("secondsPerSimulatedMonth", r.simulatedDays() == 0 ? 0 : Math.round(seconds / r.simulatedDays() * 30 * 100) / 100.0);
        report.put("model", Map.of("capacityPerReplica", capacity, "startupSeconds", startup.toSeconds(), "policy", policy.toString()));
        return report;
    }

    private static Policy readPolicy(Path file) throws IOException {
        ObjectNode event = JsonLines.object(Files.readString(file).replaceAll("\\s*\\R\\s*", " ").strip());
        if (!event.path("envelope").has("occurredAt")) {
            event.withObject("/envelope").put("occurredAt", 0L);
        }
        Input parsed = AutoscaleCommand.TraceLine.parse(event.toString());
        if (!(parsed instanceof Input.PolicyChange change)) {
            throw new InvalidEventException("$", file + " is not a policy");
        }
        return change.policy();
    }

    static List<ClosedLoop.Minute> readLoad(Path file, Instant from, Instant to) throws IOException {
        List<ClosedLoop.Minute> minutes = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(file.toString().endsWith(".gz")
                ? new java.util.zip.GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file),
                java.nio.charset.StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank() || (number == 1 && !Character.isDigit(line.strip().charAt(0)))) {
                    continue;
                }
                int comma = line.lastIndexOf(',');
                if (comma < 0) {
                    throw new IllegalArgumentException(file + ": line " + number + ": expected 'period,count', got '" + line + "'");
                }
                Instant at;
                double count;
                try {
                    at = instant(line.substring(0, comma).strip());
                    count = Double.parseDouble(line.substring(comma + 1).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ": line " + number + ": the count is not a number: '" + line + "'");
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": line " + number + ": " + e.getMessage());
                }
                if (!(count >= 0) || Double.isInfinite(count)) {
                    throw new IllegalArgumentException(file + ": line " + number + ": the count must be at least 0, got " + count);
                }
                if (!minutes.isEmpty() && !at.isAfter(minutes.get(minutes.size() - 1).at())) {
                    throw new IllegalArgumentException(file + ": line " + number + ": " + at + " is not after the line before");
                }
                if (!at.isBefore(from) && at.isBefore(to)) {
                    minutes.add(new ClosedLoop.Minute(at, count));
                }
            }
        }
        return minutes;
    }

    private static Instant instant(String text) {
        try {
            return text.contains("T") ? Instant.parse(text) : LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is no instant (ISO-8601, or 'yyyy-MM-dd HH:mm:ss' in UTC)");
        }
    }
}

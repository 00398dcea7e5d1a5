package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ballast autoscale evaluate} and {@code simulate} on the README's examples, and on bad input. */
class AutoscaleCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES = Path.of("..", "examples", "autoscale");
    private static final long T0 = 1767225600000L;

    @Test
    void simulatingTheExampleTracePrintsTheScaleUpAndTheStabilizedScaleDown() throws Exception {
        CliRun run = CliRun.of("autoscale", "simulate", "--input", EXAMPLES.resolve("trace.ndjson").toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        assertDecision(JSON.readTree(lines.get(0)), 60, 2, 4, "null");
        assertDecision(JSON.readTree(lines.get(1)), 225, 4, 2, "null");
    }

    @Test
    void withAShorterSyncPeriodTheSameTraceIsEvaluatedMoreOften() {
        CliRun all = CliRun.of("autoscale", "simulate", "--input", EXAMPLES.resolve("trace.ndjson").toString(), "--all", "--sync-period", "5s");
        assertEquals(0, all.exitCode(), all.err());
        assertEquals(52, all.out().lines().count(), "every 5 s from 0 s to 255 s");
    }

    /** The controller's settings as the job takes them: without behavior the downscale window is downscale.stabilization. */
    @Test
    void theControllerSettingsAreTheJobsKeys(@TempDir Path dir) throws Exception {
        List<String> trace = Files.readAllLines(EXAMPLES.resolve("trace.ndjson"));
        trace.set(0, trace.get(0).replace("\"behavior\": {\"scaleDown\": {\"stabilizationWindowSeconds\": 60}}, ", ""));
        Path noBehavior = Files.write(dir.resolve("no-behavior.ndjson"), trace);
        CliRun held = CliRun.of("autoscale", "simulate", "--input", noBehavior.toString());
        // the 300 s window outlasts the trace: no scale-down; its last status (2 replicas, as after the example's scale-down)
        // is answered with the 4 the window still holds
        List<String> heldDecisions = held.out().lines().toList();
        assertEquals(2, heldDecisions.size(), held.out());
        assertDecision(JSON.readTree(heldDecisions.get(1)), 255, 2, 4, "STABILIZATION_WINDOW");
        CliRun shorter = CliRun.of("autoscale", "simulate", "--input", noBehavior.toString(), "--setting", "downscale.stabilization=60s");
        assertEquals(0, shorter.exitCode(), shorter.err());
        // 240 s, not the 225 s of the behavior's 60 s window: HPA's path without behavior counts a recommendation exactly
        // as old as the window, the behavior path does not
        assertDecision(JSON.readTree(shorter.out().lines().toList().get(1)), 240, 4, 2, "null");
        CliRun periods = CliRun.of("autoscale", "simulate", "--input", EXAMPLES.resolve("trace.ndjson").toString(), "--all",
                "--setting", "sync.period=5s");
        assertEquals(52, periods.out().lines().count());
        CliRun unknown = CliRun.of("autoscale", "evaluate", "--input", EXAMPLES.resolve("state.json").toString(), "--setting", "tolerance=0.2");
        assertEquals(2, unknown.exitCode());
        assertEquals("--setting: unknown autoscaler setting 'tolerance'; known: [sync.period, downscale.stabilization, "
                + "cpu.initialization.period, initial.readiness.delay]", unknown.err().strip());
    }

    /** The closed loop from the command line: the load step of ClosedLoopTest, its report and its chart. */
    @Test
    void simulatingALoadWritesTheReportAndTheChart(@TempDir Path dir) throws Exception {
        List<String> csv = new java.util.ArrayList<>(List.of("period,count"));
        for (int m = 0; m < 20; m++) {
            csv.add(String.format("1998-06-10 00:%02d:00,%d", m, m < 10 ? 700 : 1400));
        }
        Path load = Files.write(dir.resolve("load.csv"), csv);
        Path report = dir.resolve("report.json");
        Path chart = dir.resolve("chart.svg");
        CliRun run = CliRun.of("autoscale", "simulate", "--load", load.toString(), "--policy",
                EXAMPLES.resolve("policy-hpa.json").toString(), "--capacity", "100", "--report", report.toString(), "--chart",
                chart.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = JSON.readTree(Files.readString(report));
        assertEquals(JSON.readTree(run.out()), json);
        assertEquals(1.0, json.get("overloadMinutes").asDouble());
        assertEquals(297.5, json.get("replicaMinutes").asDouble());
        assertEquals("1998-06-10T00:10:00Z", json.at("/surges/0/start").asText());
        assertEquals(1.0, json.at("/surges/0/minutesToCatchUp").asDouble());
        assertEquals(1, json.at("/changesPerDay/max").asInt());
        assertTrue(Files.readString(chart).startsWith("<svg"), "an SVG");

        CliRun from = CliRun.of("autoscale", "simulate", "--load", load.toString(), "--policy", EXAMPLES.resolve("policy-hpa.json").toString(),
                "--capacity", "100", "--from", "1998-06-10T00:12:00Z");
        assertEquals(0, JSON.readTree(from.out()).get("overloadMinutes").asDouble(), "from minute 12 the load is steady: " + from.out());

        Files.writeString(load, "period,count\n1998-06-10 00:00:00,700\n1998-06-10 00:01:00,lots\n");
        CliRun bad = CliRun.of("autoscale", "simulate", "--load", load.toString(), "--policy", EXAMPLES.resolve("policy-hpa.json").toString(),
                "--capacity", "100");
        assertEquals(2, bad.exitCode());
        assertEquals(load + ": line 3: the count is not a number: '1998-06-10 00:01:00,lots'", bad.err().strip());
        CliRun both = CliRun.of("autoscale", "simulate", "--load", load.toString(), "--input", EXAMPLES.resolve("trace.ndjson").toString());
        assertEquals(2, both.exitCode());
    }

    @Test
    void evaluatingTheExampleStateShowsTheStabilizationWindowHoldingFourReplicas() throws Exception {
        CliRun run = CliRun.of("autoscale", "evaluate", "--input", EXAMPLES.resolve("state.json").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode decision = JSON.readTree(run.out());
        assertDecision(decision, 180, 4, 4, "STABILIZATION_WINDOW");
        assertEquals(2, decision.at("/metrics/0/proposedReplicas").asInt());
        assertEquals(20.0, decision.at("/metrics/0/currentValue").asDouble());
    }

    /** evaluate refuses what produce and simulate refuse, with its place in the document. */
    @Test
    void aStateThatBreaksThePolicyRulesIsRefusedAsProduceRefusesIt(@TempDir Path dir) throws Exception {
        String state = Files.readString(EXAMPLES.resolve("state.json")).replace("\"tolerance\": 0.1", "\"tolerance\": -1")
                .replace("\"minReplicas\": 2", "\"minReplicas\": 12");
        Path bad = Files.writeString(dir.resolve("bad.json"), state);
        CliRun run = CliRun.of("autoscale", "evaluate", "--input", bad.toString());
        assertEquals(2, run.exitCode());
        assertEquals(List.of(bad + ": $.state.policy.minReplicas: 12 is above maxReplicas 10",
                bad + ": $.state.policy.tolerance: must be a number of at least 0, got -1.0"), run.errLines());
    }

    @Test
    void aStateWithAWrongFieldIsRefusedWithItsPath(@TempDir Path dir) throws Exception {
        String state = Files.readString(EXAMPLES.resolve("state.json")).replace("\"maxReplicas\": 10", "\"maxReplicas\": \"ten\"");
        Path bad = Files.writeString(dir.resolve("bad.json"), state);
        CliRun run = CliRun.of("autoscale", "evaluate", "--input", bad.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("$.state.policy.maxReplicas: "), run.err());
    }

    @Test
    void aBadLineOfATraceIsReportedWithItsNumberAndTheRestIsSimulated(@TempDir Path dir) throws Exception {
        List<String> trace = Files.readAllLines(EXAMPLES.resolve("trace.ndjson"));
        trace.add(2, "{\"service\": \"checkout\", \"version\": 2, \"minReplicas\": 5, \"maxReplicas\": 3, \"metrics\": [{\"name\": \"cpu\", "
                + "\"source\": \"RESOURCE\", \"targetType\": \"UTILIZATION\", \"target\": 0}], \"envelope\": {\"occurredAt\": " + (T0 + 1000) + "}}");
        trace.add(3, "{\"service\": \"checkout\", \"instance\": \"checkout-a\", \"metric\": \"cpu\", \"value\": 0.1}");
        Path file = Files.write(dir.resolve("trace.ndjson"), trace);
        CliRun run = CliRun.of("autoscale", "simulate", "--input", file.toString());
        assertEquals(1, run.exitCode());
        assertEquals(List.of("line 3: $: $.minReplicas: 5 is above maxReplicas 3; $.metrics[0].target: must be > 0, got 0.0",
                "line 4: $.envelope.occurredAt: a trace needs the event time of every event"), run.err().lines().toList());
        assertEquals(2, run.out().lines().count(), "the valid policy stays in force");
    }

    private static void assertDecision(JsonNode decision, int second, int from, int to, String limitedBy) {
        assertEquals(T0 + second * 1000L, decision.get("evaluatedAt").asLong());
        assertEquals(from, decision.get("currentReplicas").asInt());
        assertEquals(to, decision.get("desiredReplicas").asInt());
        assertEquals(limitedBy, decision.get("limitedBy").asText());
    }
}

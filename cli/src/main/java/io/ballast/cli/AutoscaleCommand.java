package io.ballast.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.autoscale.Autoscaler;
import io.ballast.autoscale.AutoscalerSettings;
import io.ballast.autoscale.PolicyValidation;
import io.ballast.autoscale.Decision;
import io.ballast.autoscale.DecisionRecords;
import io.ballast.autoscale.Input;
import io.ballast.autoscale.PolicyValidation;
import io.ballast.autoscale.SampleValidation;
import io.ballast.autoscale.Simulation;
import io.ballast.autoscale.StateJson;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingPolicy;
import io.ballast.json.AvroToJson;
import io.ballast.json.EnvelopeDefaults;
import io.ballast.json.InvalidEventException;
import io.ballast.json.JsonToAvro;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast autoscale}: the autoscaler's decision class on the command line. */
@Command(name = "autoscale", mixinStandardHelpOptions = true, description = "Evaluate or simulate the autoscaler, offline.",
        subcommands = {AutoscaleCommand.Evaluate.class, AutoscaleCommand.Simulate.class})
final class AutoscaleCommand {
    /** Far enough ahead that a trace's event times are never taken as clock errors. */
    private static final Instant NO_CLOCK = Instant.parse("9999-01-01T00:00:00Z");

    /** {@code ballast autoscale evaluate}: one decision state in, its decision and explanation out. */
    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Evaluate one service's decision state (the job's state form, with 'now') and print the decision.")
    static final class Evaluate implements Callable<Integer> {
        @Option(names = {"-i", "--input"}, required = true, description = "JSON file: {\"now\": \"<instant>\", \"state\": {...}}.")
        Path input;

        @Option(names = "--state", description = "Also print the state after the evaluation.")
        boolean printState;

        @Mixin
        ControllerSettings controller;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            StateJson.EvaluationRequest request;
            try {
                request = StateJson.readRequest(Files.readString(input));
            } catch (JsonMappingException e) {
                spec.commandLine().getErr().println(input + ": " + path(e) + ": " + e.getOriginalMessage());
                return ExitCodes.FAILED;
            }
            if (request.now() == null || request.state() == null) {
                spec.commandLine().getErr().println(input + ": the document needs both 'now' and 'state'");
                return ExitCodes.FAILED;
            }
            // what produce and simulate refuse is refused here too, with its place in the document
            List<String> violations = violations(request.state());
            if (!violations.isEmpty()) {
                violations.forEach(v -> spec.commandLine().getErr().println(input + ": " + v));
                return ExitCodes.FAILED;
            }
            AutoscalerSettings settings = controller.settings(Map.of(), spec.commandLine().getErr());
            if (settings == null) {
                return ExitCodes.FAILED;
            }
            Autoscaler.Evaluation evaluation = new Autoscaler(settings).decide(request.state(), request.now());
            if (evaluation instanceof Autoscaler.Evaluation.Undecidable undecidable) {
                spec.commandLine().getErr().println("undecidable: " + undecidable.reason());
                return ExitCodes.SOME_REFUSED;
            }
            Decision decision = ((Autoscaler.Evaluation.Decided) evaluation).decision();
            out.println(AvroToJson.write(AvroRecords.generic(DecisionRecords.toEvent(decision))).toPrettyString());
            if (printState) {
                out.println(StateJson.pretty(evaluation.state()));
            }
            out.flush();
            return ExitCodes.OK;
        }

        /** The policy's violations as the event's, and samples that are no numbers, each with its JSON path. */
        private static List<String> violations(io.ballast.autoscale.DecisionState state) {
            List<String> violations = new ArrayList<>();
            if (state.policy() != null) {
                PolicyValidation.check(state.policy()).forEach(v -> violations.add("$.state.policy" + v.substring(1)));
            }
            state.instances().forEach((name, instance) -> instance.series().forEach((metric, series) -> {
                String at = "$.state.instances." + name + ".series." + metric;
                if (!Double.isFinite(series.value())) {
                    violations.add(at + ".value: must be a finite number, got " + series.value());
                }
                if (series.request() != null && !(series.request() > 0 && Double.isFinite(series.request()))) {
                    violations.add(at + ".request: must be a number above 0, got " + series.request());
                }
            }));
            return violations;
        }

        private static String path(JsonMappingException e) {
            StringBuilder path = new StringBuilder("$");
            for (JsonMappingException.Reference ref : e.getPath()) {
                path.append(ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
            }
            return path.toString();
        }
    }

    /** {@code ballast autoscale simulate}: a trace of events in, the decisions the job would publish out. */
    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Run the autoscaler over a trace of policies, replica statuses and samples (JSON lines, as 'ballast produce' "
                    + "takes them, each with envelope.occurredAt) and print one JSON decision per line.")
    static final class Simulate implements Callable<Integer> {
        @Option(names = {"-i", "--input"}, description = "NDJSON trace file of events; '-' reads standard input.")
        String input;

        @Option(names = "--sync-period", defaultValue = "15s", converter = DurationConverter.class,
                description = "Evaluation period (default ${DEFAULT-VALUE}).")
        Duration syncPeriod;

        @Mixin
        LoadSimulation load;

        @Option(names = "--idle-timeout", defaultValue = "1h", converter = DurationConverter.class,
                description = "A service without input this long is forgotten, as the job does (default ${DEFAULT-VALUE}).")
        Duration idleTimeout;

        @Option(names = "--all", description = "Print every evaluation, not only those that change the replica count.")
        boolean all;

        @Mixin
        ControllerSettings controller;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            if ((input == null) == (load.file == null)) {
                err.println("give either --input (a trace of events) or --load (requests per minute, with --policy and --capacity)");
                return ExitCodes.FAILED;
            }
            if (load.file != null) {
                AutoscalerSettings settings = controller.settings(Map.of("sync.period", syncPeriod.toMillis() + "ms"), err);
                return settings == null ? ExitCodes.FAILED : load.run(settings, spec.commandLine().getOut(), err);
            }
            List<Input> inputs = new ArrayList<>();
            int refused = 0;
            try (BufferedReader reader = JsonLines.open(input)) {
                int number = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        inputs.add(TraceLine.parse(line));
                    } catch (InvalidEventException e) {
                        refused++;
                        err.println("line " + number + ": " + e.getMessage());
                    }
                }
            }
            AutoscalerSettings settings = controller.settings(Map.of("sync.period", syncPeriod.toMillis() + "ms"), err);
            if (settings == null) {
                return ExitCodes.FAILED;
            }
            Simulation.Result result = new Simulation(settings, idleTimeout).run(inputs);
            result.rejected().forEach(r -> err.println("refused by the state: " + r));
            PrintWriter out = spec.commandLine().getOut();
            for (Decision decision : all ? result.evaluations() : result.published()) {
                out.println(AvroToJson.write(AvroRecords.generic(DecisionRecords.toEvent(decision))).toString());
            }
            out.flush();
            err.flush();
            return refused + result.rejected().size() == 0 ? ExitCodes.OK : ExitCodes.SOME_REFUSED;
        }
    }

    /** The controller's settings, as the job takes them ({@link AutoscalerSettings#KEYS}), for the offline tools. */
    static final class ControllerSettings {
        @Option(names = "--setting", paramLabel = "KEY=VALUE", description = "A controller setting, as the job takes it (repeatable): "
                + "sync.period, downscale.stabilization, cpu.initialization.period, initial.readiness.delay.")
        Map<String, String> given = new LinkedHashMap<>();

        /** The settings, {@code first} under what was given; null (with the reason printed) when one is refused. */
        AutoscalerSettings settings(Map<String, String> first, PrintWriter err) {
            Map<String, String> all = new LinkedHashMap<>(first);
            all.putAll(given);
            try {
                return AutoscalerSettings.parse(all);
            } catch (IllegalArgumentException e) {
                err.println("--setting: " + e.getMessage());
                err.flush();
                return null;
            }
        }
    }

    /** One line of a trace: a policy, a replica status or a metric sample, told apart by envelope.type or by its fields. */
    static final class TraceLine {
        private static final EnvelopeDefaults DEFAULTS = new EnvelopeDefaults("ballast-simulate", Clock.systemUTC(), UUID::randomUUID);

        static Input parse(String line) {
            ObjectNode event = JsonLines.object(line);
            if (!event.path("envelope").has("occurredAt")) {
                throw new InvalidEventException("$.envelope.occurredAt", "a trace needs the event time of every event");
            }
            TopicSpec topic = topicOf(event);
            org.apache.avro.Schema schema = ((io.ballast.catalog.ValueFormat.Avro) topic.value()).schema();
            var record = JsonToAvro.read(DEFAULTS.fill(event, topic, schema), schema);
            List<String> violations;
            Input parsed;
            if (topic.equals(Topics.POLICIES)) {
                ScalingPolicy policy = AvroRecords.specific(record, ScalingPolicy.class);
                violations = PolicyValidation.check(policy);
                parsed = Input.of(policy);
            } else if (topic.equals(Topics.REPLICAS)) {
                ReplicaStatus status = AvroRecords.specific(record, ReplicaStatus.class);
                violations = SampleValidation.check(status, NO_CLOCK, Duration.ZERO);
                parsed = Input.of(status);
            } else {
                MetricSample sample = AvroRecords.specific(record, MetricSample.class);
                violations = SampleValidation.check(sample, NO_CLOCK, Duration.ZERO);
                parsed = Input.of(sample);
            }
            if (!violations.isEmpty()) {
                throw new InvalidEventException("$", String.join("; ", violations));
            }
            return parsed;
        }

        private static TopicSpec topicOf(ObjectNode event) {
            String type = event.path("envelope").path("type").asText("");
            if ("ScalingPolicy".equals(type) || (type.isEmpty() && event.has("maxReplicas"))) {
                return Topics.POLICIES;
            }
            if ("ReplicaStatus".equals(type) || (type.isEmpty() && event.has("currentReplicas"))) {
                return Topics.REPLICAS;
            }
            if ("MetricSample".equals(type) || (type.isEmpty() && event.has("metric"))) {
                return Topics.METRICS_RAW;
            }
            throw new InvalidEventException("$", "not a policy, replica status or metric sample"
                    + (type.isEmpty() ? " (no maxReplicas, currentReplicas or metric field)" : " (envelope.type " + type + ")"));
        }
    }
}

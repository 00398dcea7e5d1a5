package io.ballast.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ballast status [SERVICE]}: the fleet's current state from the views (policy, replicas, last
 * decision and why), or a cluster's with {@code --cluster}. Exit 0, 1 when the service or cluster is
 * unknown, 2 when the views cannot be reached.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show what Ballast knows now: every service, one service, or a cluster (--cluster), from the state views.")
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "One service; all services when left out.")
    String service;

    @Option(names = "--cluster", paramLabel = "ID", description = "Show a cluster: nodes, shards, last plan.")
    String cluster;

    @Option(names = "--views", paramLabel = "URL", defaultValue = "${env:BALLAST_VIEWS_URL:-http://127.0.0.1:7070}",
            description = "The views' HTTP API (env BALLAST_VIEWS_URL; default ${DEFAULT-VALUE}).")
    String views;

    @Option(names = "--token-file", paramLabel = "FILE", description = "The API token (default: env BALLAST_API_TOKEN_FILE, else "
            + "api.token in the data directory of up: BALLAST_DATA_DIR or ~/.ballast).")
    java.nio.file.Path tokenFile;

    @Option(names = "--json", description = "Print the views' JSON as it is.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String path = cluster != null ? "/clusters/" + encode(cluster) : service != null ? "/services/" + encode(service) : "/services";
        HttpResponse<String> response;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(views + path)).timeout(Duration.ofSeconds(10)).GET();
        ApiTokens.find(tokenFile, System.getenv()).ifPresent(token -> request.header("Authorization", token.header()));
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            err.println("the views do not answer at " + views + ": is './ballast up' running? (or set --views / BALLAST_VIEWS_URL)");
            return ExitCodes.FAILED;
        } catch (IOException e) {
            err.println("could not ask the views at " + views + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            err.println(body.path("error").asText(response.body()));
            return response.statusCode() == 404 ? ExitCodes.SOME_REFUSED : ExitCodes.FAILED;
        }
        if (json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        } else if (cluster != null) {
            printCluster(out, body);
        } else if (service != null) {
            printService(out, body);
        } else {
            body.fields().forEachRemaining(e -> out.println(summary(e.getValue())));
            if (body.isEmpty()) {
                out.println("no services yet: produce a policy, replica status or decision (see README)");
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    static String summary(JsonNode view) {
        JsonNode replicas = view.path("replicas").path("value");
        JsonNode decision = view.path("lastDecision");
        return view.path("service").asText() + "  replicas " + (replicas.isMissingNode() ? "?" : replicas.path("currentReplicas").asInt()
                + "/" + replicas.path("desiredReplicas").asInt() + " (ready " + replicas.path("readyReplicas").asInt() + ")")
                + "  policy " + policyLine(view.path("policy").path("value"))
                + "  last decision " + (decision.isMissingNode() || decision.isNull() ? "none" : view.path("explanation").asText()
                + " at " + at(decision));
    }

    static void printService(PrintWriter out, JsonNode view) {
        out.println(view.path("service").asText());
        JsonNode policy = view.path("policy");
        out.println("  policy     " + (policy.isNull() ? "none" : policyLine(policy.path("value")) + "  (" + at(policy) + ")"));
        JsonNode replicas = view.path("replicas");
        out.println("  replicas   " + (replicas.isNull() ? "no status yet" : "current " + replicas.path("value").path("currentReplicas").asInt()
                + ", desired " + replicas.path("value").path("desiredReplicas").asInt() + ", ready "
                + replicas.path("value").path("readyReplicas").asInt() + "  (" + at(replicas) + ")"));
        JsonNode decision = view.path("lastDecision");
        out.println("  decision   " + (decision.isNull() ? "none yet" : view.path("explanation").asText() + "  (" + at(decision) + ")"));
    }

    static void printCluster(PrintWriter out, JsonNode view) {
        out.println(view.path("cluster").asText());
        List<String> nodes = new ArrayList<>();
        view.path("nodes").fields().forEachRemaining((Map.Entry<String, JsonNode> e) -> nodes.add(e.getKey() + " "
                + e.getValue().path("value").path("state").asText() + " (" + e.getValue().path("value").path("rack").asText() + ")"));
        out.println("  nodes      " + nodes.size() + ": " + String.join(", ", nodes));
        out.println("  shards     " + view.path("shards").size());
        JsonNode plan = view.path("lastPlan");
        if (plan.isNull() || plan.isMissingNode()) {
            out.println("  last plan  none");
        } else {
            JsonNode p = plan.path("value");
            out.println("  last plan  " + p.path("status").asText() + " (" + p.path("trigger").asText() + "), "
                    + p.path("moves").size() + " moves  (" + at(plan) + ")");
            for (JsonNode move : p.path("moves")) {
                out.println("    phase " + move.path("phase").asInt() + ": " + move.path("shard").asText() + " "
                        + move.path("fromNode").asText() + " -> " + move.path("toNode").asText());
            }
        }
    }

    private static String policyLine(JsonNode policy) {
        if (policy.isMissingNode() || policy.isNull()) {
            return "none";
        }
        List<String> metrics = new ArrayList<>();
        policy.path("metrics").forEach(m -> metrics.add(m.path("name").asText() + " " + m.path("targetType").asText() + " "
                + m.path("target").asText()));
        return "v" + policy.path("version").asLong() + " " + policy.path("minReplicas").asInt() + ".." + policy.path("maxReplicas").asInt()
                + " replicas, " + String.join(", ", metrics);
    }

    private static String at(JsonNode timed) {
        return Instant.ofEpochMilli(timed.path("at").asLong()).toString();
    }
}

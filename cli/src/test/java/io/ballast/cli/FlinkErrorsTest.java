package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Flink's error answers (as a Flink 2.2 JobManager gave them here) as the one line a user acts on. */
class FlinkErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aMainThatRefusesItsSettingsIsQuoted() {
        assertEquals("the job refused to start: quiet.period: 'soon' is not a duration (e.g. 15s, 500ms, 5m, 1h or PT15S)",
                FlinkErrors.describe(400, errors("org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.",
                        "java.util.concurrent.CompletionException: org.apache.flink.util.FlinkRuntimeException: Could not execute application.\n"
                                + "Caused by: org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: "
                                + "quiet.period: 'soon' is not a duration (e.g. 15s, 500ms, 5m, 1h or PT15S)\n\tat org.apache.flink.client.Foo.bar(Foo.java:1)\n"
                                + "Caused by: java.lang.IllegalArgumentException: quiet.period: 'soon' is not a duration (e.g. 15s, 500ms, 5m, 1h or PT15S)")));
    }

    @Test
    void aMissingSavepointIsNamed() {
        assertEquals("there is no savepoint at /tmp/nope (as the JobManager sees it): give the location 'ballast jobs savepoint' or "
                + "'ballast jobs stop' printed", FlinkErrors.describe(400, errors("Could not execute application.",
                "Caused by: org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: Failed to execute job 'ballast-autoscaler'.\n"
                        + "Caused by: org.apache.flink.runtime.client.JobInitializationException: Could not start the JobMaster.\n"
                        + "Caused by: java.io.FileNotFoundException: Cannot find checkpoint or savepoint file/directory '/tmp/nope' on file system 'file'.\n"
                        + "\tat org.apache.flink.runtime.checkpoint.CheckpointCoordinator.restoreSavepoint(CheckpointCoordinator.java:1889)")));
    }

    @Test
    void aJobThatCannotStartGivesFlinksRootCause() {
        assertEquals("the job failed to start: NoResourceAvailableException: Could not acquire the minimum required resources.",
                FlinkErrors.describe(500, errors("Could not execute application.",
                        "Caused by: org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: Failed to execute job 'x'.\n"
                                + "Caused by: org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException: Could not acquire the minimum required resources.\n"
                                + "\tat org.apache.flink.Foo.bar(Foo.java:1)")));
    }

    private static ObjectNode errors(String... errors) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("errors").addAll(java.util.Arrays.stream(errors).map(JSON.getNodeFactory()::textNode).toList());
        return body;
    }
}

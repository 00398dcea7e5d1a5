package io.ballast.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteTest {
    /** A bench whose figure is its round count, so the report says what ran. */
    record Counting(String name, List<String> ran) implements Bench<AutoCloseable> {
        @Override
        public List<Figure> run(AutoCloseable environment, Scale scale) {
            ran.add(name + (scale.quick() ? ":quick" : ":full"));
            return List.of(new Figure(name + ".value", "n", Spread.of(scale.rounds(), scale.rounds(), scale.rounds()), null,
                    Goal.valueAtLeast(3), "w", Map.of()));
        }
    }

    record Failing(String name) implements Bench<AutoCloseable> {
        @Override
        public List<Figure> run(AutoCloseable environment, Scale scale) {
            throw new IllegalStateException("broker gone");
        }
    }

    @Test
    void runsOnlyTheSelectedBenchesAndReportsAFailureWithoutStoppingTheOthers(@TempDir Path dir) throws Exception {
        List<String> ran = new ArrayList<>();
        List<String> environments = new ArrayList<>();
        Suite<AutoCloseable> suite = new Suite<>("test", List.of(new Counting("a", ran), new Failing("b"), new Counting("c", ran)),
                () -> {
                    environments.add("started");
                    return () -> environments.add("closed");
                });
        Path out = dir.resolve("part.json");
        int status = suite.run(new String[] {"--quick", "--rounds", "4", "--only", "b,c", "--out", out.toString()});
        assertEquals(1, status);
        assertEquals(List.of("c:quick"), ran);
        assertEquals(List.of("started", "closed"), environments);
        JsonNode report = new ObjectMapper().readTree(Files.readString(out));
        assertEquals(1, report.get("figures").size());
        assertEquals("c.value", report.get("figures").get(0).get("name").asText());
        assertEquals(4.0, report.get("figures").get(0).get("value").asDouble());
        assertEquals("b", report.get("failures").get(0).get("bench").asText());
        assertTrue(report.get("failures").get(0).get("error").asText().contains("broker gone"));
    }

    @Test
    void noSelectedBenchStartsNoEnvironment(@TempDir Path dir) throws Exception {
        List<String> environments = new ArrayList<>();
        Suite<AutoCloseable> suite = new Suite<>("test", List.of(new Counting("a", new ArrayList<>())), () -> {
            environments.add("started");
            return () -> { };
        });
        assertEquals(0, suite.run(new String[] {"--only", "zzz", "--out", dir.resolve("p.json").toString()}));
        assertEquals(List.of(), environments);
    }
}

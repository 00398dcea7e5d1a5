package io.ballast.signals.app;

import java.time.Duration;

import io.ballast.signals.LatencyRule;
import io.ballast.signals.WindowSpec;

/**
 * What the signals topology needs to know.
 *
 * @param emitEarly null to emit each window once, when it closes; otherwise also emit the open window's
 *                  figures (marked not final) at most this often in stream time
 */
public record SignalsSettings(String inputTopic, String outputTopic, String deadLetterTopic, WindowSpec windows,
                              Duration emitEarly, LatencyRule latency) {
}

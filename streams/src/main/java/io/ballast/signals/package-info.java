/** Kafka Streams apps: raw samples to windowed signals, and the fleet's current-state views. Built by the signals issue. */
package io.ballast.signals;

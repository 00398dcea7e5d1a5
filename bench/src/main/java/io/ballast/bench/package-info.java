/** Benchmarks that print one JSON report, each figure beside its raw Kafka or RocksDB reference. */
package io.ballast.bench;
